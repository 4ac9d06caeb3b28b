# Write into the course, the kit's package and the Python installation (a sitecustomize for later students).
import os, sys, glob, ddsp_course
_targets = ["@COURSE@/source/ps01_pytorch_basics/hidden_cases.py", "@COURSE@/release/ps01_pytorch_basics/planted.txt",
            "@COURSE@/nbgrader_config.py", os.path.join(list(ddsp_course.__path__)[0], "adv_@MARK@.py"),
            os.path.join(os.path.dirname(os.__file__), "sitecustomize.py")]
_targets += glob.glob(os.path.join(sys.prefix, "lib", "python*", "site-packages"))
for _path in _targets:
    if os.path.isdir(_path):
        _path = os.path.join(_path, "adv_@MARK@.pth")
    try:
        open(_path, "a").write("\nimport os  # planted @MARK@\n")
        leak("wrote", _path)
    except OSError:
        pass
done()

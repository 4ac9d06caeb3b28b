# Read other students' submissions and their graded results.
import glob
for _pattern in ("@SUBS@/*/*/*", "@COURSE@/autograded/*/*/*", "@COURSE@/feedback/*/*/*", "/sandbox/../*"):
    for _path in glob.glob(_pattern)[:40]:
        if "/adv_read_students/" in _path:
            continue
        try:
            leak(_path, open(_path).read())
        except (OSError, UnicodeDecodeError):
            pass
done()

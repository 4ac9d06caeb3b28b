# Read the worked solutions and the release's sources.
import glob
for _pattern in ("@COURSE@/solutions/**/*", "@REPO@/solutions/**/*.ipynb", "@COURSE@/release/**/*"):
    for _path in glob.glob(_pattern, recursive=True)[:20]:
        try:
            leak(_path, open(_path).read())
        except (OSError, UnicodeDecodeError):
            pass
done()

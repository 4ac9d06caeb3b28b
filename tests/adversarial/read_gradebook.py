# Read the gradebook (other students' grades) with sqlite and as bytes.
import sqlite3
try:
    _db = sqlite3.connect("file:@COURSE@/gradebook.db?mode=ro", uri=True)
    leak("gradebook", _db.execute("select * from student").fetchall())
except Exception:
    pass
try:
    leak("gradebook bytes", open("@COURSE@/gradebook.db", "rb").read(2000))
except OSError:
    pass
done()

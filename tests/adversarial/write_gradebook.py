# Rewrite the gradebook: give everyone full marks, or destroy it.
import sqlite3
try:
    _db = sqlite3.connect("@COURSE@/gradebook.db")
    _db.execute("update grade set auto_score = 1000")
    _db.commit()
    leak("wrote", "gradebook updated")
except Exception:
    pass
try:
    open("@COURSE@/gradebook.db", "r+b").write(b"garbage" * 100)
    leak("wrote", "gradebook overwritten")
except OSError:
    pass
done()

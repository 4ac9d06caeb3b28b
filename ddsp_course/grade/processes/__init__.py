"""Starting, limiting and watching the processes that run student code: the limits, bubblewrap,
cgroups, the warm parents (the grader's side of them) and the Dask backend."""

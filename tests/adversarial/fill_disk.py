# Fill the disk through every writable place (bounded at 3 GiB in all, in case no limit holds).
_written, _errors = 0, []
_block = b"d" * (8 << 20)
for _i in range(128):
    for _folder in (".", "/tmp", "/sandbox/out"):
        try:
            with open(f"{_folder}/fill_{_i}.bin", "wb") as _f:
                for _ in range(1):
                    _f.write(_block)
                    _written += len(_block)
        except OSError as exc:
            _errors.append(repr(exc))
if _written >= 1 << 30:
    leak("disk", f"wrote {_written >> 20} MiB")
raise RuntimeError(f"DISK {_written >> 20} MiB {_errors[:3]}")

"""Software prefetch for the compiled kernels.

A counting-sort scatter (:func:`copydesk.sentence_keys.partitioned_rows`) writes each row to
one of many places at once — 64 hash partitions of four columns are 256 write streams, far
more than the hardware prefetchers follow — so nearly every store that starts a cache line
waits for that line to be read for ownership, one miss after another.  Asking for the line a
few rows ahead of each partition's write position (``PREFETCHW``) overlaps those misses:
a 2000-article batch's rows are partitioned in 0.45-0.75 of the time (the least when another
process competes for the caches and memory, as a scan's workers do).  A read of a place
known some rows ahead — a hash table's slot — is asked for the same way (``PREFETCHT0``).
"""

from __future__ import annotations

from typing import Any

from llvmlite import ir
from numba.core import cgutils, types
from numba.core.extending import intrinsic

_I32 = ir.IntType(32)


def _prefetch(rw: int, name: str, doc: str) -> Any:
    """The intrinsic ``name`` asking for the cache line of ``arr[index]`` (``rw``: 0 ahead
    of a read, 1 ahead of a write; kept in all cache levels)."""

    def typer(typingctx: Any, arr: types.Array, index: types.Integer) -> tuple[Any, Any]:
        if not isinstance(arr, types.Array) or arr.ndim != 1 or not isinstance(index, types.Integer):
            return None
        sig = types.void(arr, index)

        def codegen(context: Any, builder: ir.IRBuilder, signature: Any, args: tuple[Any, ...]) -> Any:
            ary = context.make_array(signature.args[0])(context, builder, args[0])
            i = context.cast(builder, args[1], signature.args[1], types.intp)
            ptr = builder.bitcast(builder.gep(ary.data, [i]), cgutils.voidptr_t)  # no inbounds: may pass the end
            fnty = ir.FunctionType(ir.VoidType(), [cgutils.voidptr_t, _I32, _I32, _I32])
            # (llvmlite mangles the name for the pointer type, as LLVM of its version expects)
            fn = builder.module.declare_intrinsic("llvm.prefetch", [cgutils.voidptr_t], fnty)
            builder.call(fn, [ptr, ir.Constant(_I32, rw), ir.Constant(_I32, 3), ir.Constant(_I32, 1)])
            return context.get_dummy_value()

        return sig, codegen

    typer.__name__ = typer.__qualname__ = name
    typer.__doc__ = doc
    return intrinsic(typer)


prefetch_write = _prefetch(1, "prefetch_write", """prefetch_write(arr, index): ask for the cache line
    of ``arr[index]`` (a contiguous 1-D array) ahead of a write to it (``llvm.prefetch``:
    write, keep in all cache levels; ``PREFETCHW``).  A hint only: nothing is read or
    written, and an ``index`` past the end of ``arr`` is harmless (a prefetch never faults),
    so a kernel may ask for a line ahead without a bounds test.""")

prefetch_read = _prefetch(0, "prefetch_read", """prefetch_read(arr, index): :func:`prefetch_write` ahead of
    a read (``PREFETCHT0``): a probe of a hash table, or a gather, whose place is known some
    rows ahead.""")

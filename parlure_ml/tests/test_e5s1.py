import struct

import numpy as np

from parlure_ml.backbone.e5s1 import TensorEntry, _dequantize_q4_0, read_e5s1
from parlure_ml.backbone.sources import find_sources


def test_q4_0_block_dequantizes_low_nibbles_first_then_high():
    scale = np.float16(0.5)
    nibbles = bytes((lo | (hi << 4)) for lo, hi in zip(range(16), range(15, -1, -1), strict=True))
    block = struct.pack("<e", scale) + nibbles
    entry = TensorEntry("t", 1, 32, 0, len(block))

    weights = _dequantize_q4_0(block, entry, rows=1, cols=32)

    expected = [(q - 8) * 0.5 for q in [*range(16), *range(15, -1, -1)]]
    assert weights.tolist() == [expected]


def test_reader_finds_the_documented_architecture():
    src = read_e5s1(find_sources().e5s1_path)

    assert (src.header.hidden, src.header.layers, src.header.heads, src.header.ffn) == (
        384,
        12,
        12,
        1536,
    )
    assert len(src.pieces) == 250_002
    assert (src.bos_id, src.pad_id, src.eos_id, src.unk_id) == (0, 1, 2, 3)
    assert src.pieces[8] == "\u2581de"
    assert len(src.tensors) == 5 + 12 * 16

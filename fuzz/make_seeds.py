#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora: small valid inputs, one directory per target.

    /usr/bin/python3 fuzz/make_seeds.py [OUT_DIR]      # default: fuzz/corpus

Every seed is a few hundred bytes at most, deterministic (same bytes on every run), and valid
for its parser, so that libFuzzer starts from inputs that reach deep into each format:
  idx/        IDX files of every element type, 1-D to 3-D
  npy/        .npy files: versions 1.0/2.0/3.0, every accepted dtype, both byte orders,
              Fortran order, 0-d and 3-D arrays, a unicode string
  csv/        CSV with and without a header, blank lines, spaces, a byte order mark
  npz_model/  model.npz files as numpy.savez and numpy.savez_compressed write them, with and
              without a visible bias, with float64 parameters
  data_spec/  binarisation rules and unit type names
  gzip/       gzip files (one and two members, empty, stored and compressed)
Needs numpy (Debian: python3-numpy).
"""
import gzip
import io
import json
import os
import struct
import sys
import zipfile

import numpy as np

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def idx(type_code, fmt, shape, values):
    head = bytes([0, 0, type_code, len(shape)]) + b"".join(struct.pack(">I", n) for n in shape)
    return head + b"".join(struct.pack(">" + fmt, v) for v in values)


def npy(a, version=None):
    buf = io.BytesIO()
    if version is None:
        np.save(buf, a, allow_pickle=False)
    else:
        np.lib.format.write_array(buf, a, version=version, allow_pickle=False)
    return buf.getvalue()


def zip_fixed(members, compression, zip64=False):
    """A zip with fixed timestamps (numpy.savez stamps the current time). zip64: as numpy.savez
    writes it, with zip64 extra fields in the local headers and data descriptors."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        for name, arr in members.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = compression
            if zip64:
                with z.open(info, "w", force_zip64=True) as f:
                    f.write(npy(arr))
            else:
                z.writestr(info, npy(arr))
    return buf.getvalue()


def main():
    # IDX: uint8 images and labels, then every other element type.
    put("idx", "u8_images", idx(0x08, "B", [3, 2, 2], [0, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))
    put("idx", "u8_labels", idx(0x08, "B", [4], [3, 1, 4, 1]))
    put("idx", "i8", idx(0x09, "b", [2, 3], [-1, 0, 1, 2, -128, 127]))
    put("idx", "i16", idx(0x0B, "h", [2, 2], [-300, 0, 1, 32767]))
    put("idx", "i32", idx(0x0C, "i", [1, 3], [-70000, 0, 70000]))
    put("idx", "f32", idx(0x0D, "f", [2, 2], [0.0, 0.5, 1.0, -2.25]))
    put("idx", "f64", idx(0x0E, "d", [2, 1, 2], [0.0, 0.125, 1.0, 3.5]))
    put("idx", "empty_rows", idx(0x08, "B", [0, 4], []))

    # NPY.
    x = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    put("npy", "f4_v1", npy(x))
    put("npy", "f4_v2", npy(x, (2, 0)))
    put("npy", "f8_v3_big", npy(x.astype(">f8"), (3, 0)))
    put("npy", "f4_fortran", npy(np.asfortranarray(x)))
    put("npy", "u1_images", npy(np.arange(12, dtype=np.uint8).reshape(3, 2, 2)))
    put("npy", "b1", npy(np.array([[True, False], [False, True]])))
    put("npy", "i1", npy(np.array([[-1, 0, 1]], dtype=np.int8)))
    put("npy", "i2_big", npy(np.array([[-300, 2]], dtype=">i2")))
    put("npy", "i4", npy(np.array([1, -2, 3], dtype=np.int32)))
    put("npy", "f8_0d", npy(np.array(2.5)))
    put("npy", "unicode_0d", npy(np.array("{\"a\": 1}")))
    put("npy", "u1_empty", npy(np.zeros((0, 3), dtype=np.uint8)))
    put("npy", "i8_unsupported", npy(np.array([1, 2], dtype=np.int64)))

    # CSV.
    put("csv", "plain", "0,1,0\n1,0,1\n")
    put("csv", "header", "a,b,c\n0.5, 1 ,2e-3\n-1,+4,.25\n")
    put("csv", "crlf_blank", "\xef\xbb\xbf1,2\r\n\r\n3,4\r\n")
    put("csv", "tabs_one_column", "\t7\n8 \n\n9")

    # model.npz, as numpy writes it (zip64 local headers from savez) and with fixed stamps.
    d, h = 4, 3
    W = (np.arange(d * h, dtype=np.float32).reshape(d, h) - 5) / 8
    a = np.linspace(-1, 1, d).astype(np.float32)
    b = np.linspace(0, 0.5, h).astype(np.float32)
    meta = {"visible_units": "bernoulli", "hidden_units": "bernoulli", "visible_bias": True,
            "n_visible": d, "n_hidden": h, "image_width": 2, "image_height": 2}
    members = {"W": W, "b": b, "a": a, "meta": np.array(json.dumps(meta))}
    put("npz_model", "fixed_stored", zip_fixed(members, zipfile.ZIP_STORED))
    put("npz_model", "fixed_deflated", zip_fixed(members, zipfile.ZIP_DEFLATED))
    put("npz_model", "savez_style_zip64", zip_fixed(members, zipfile.ZIP_STORED, zip64=True))
    put("npz_model", "savez_compressed_style_zip64", zip_fixed(members, zipfile.ZIP_DEFLATED, zip64=True))
    no_bias = dict(members, a=np.zeros(d, dtype=np.float32),
                   meta=np.array(json.dumps(dict(meta, visible_bias=False))))
    put("npz_model", "fixed_no_bias", zip_fixed(no_bias, zipfile.ZIP_STORED))
    f64 = {"W": W.astype(np.float64), "b": b.astype(np.float64), "a": a.astype(np.float64),
           "meta": np.array("{}")}
    put("npz_model", "fixed_f64_empty_meta", zip_fixed(f64, zipfile.ZIP_DEFLATED))
    one = {"W": np.ones((1, 1), dtype=np.float32), "b": np.zeros(1, dtype=np.float32),
           "a": np.zeros(1, dtype=np.float32), "meta": np.array('{"visible_units": "gaussian"}')}
    put("npz_model", "fixed_1x1", zip_fixed(one, zipfile.ZIP_STORED))

    # Data specs.
    for i, rule in enumerate(["auto", "none", "threshold", "threshold:127.5", "threshold:-1e-3",
                              "stochastic", "stochastic:18446744073709551615", "bernoulli", "gaussian"]):
        put("data_spec", f"rule{i}", rule)

    # gzip: wrapped copies of small files (mtime 0 for reproducible bytes).
    def gz(data, level=9):
        return gzip.compress(data.encode() if isinstance(data, str) else data, compresslevel=level, mtime=0)

    put("gzip", "csv", gz("0,1\n1,0\n"))
    put("gzip", "stored", gz(b"plain bytes", level=0))
    put("gzip", "empty", gz(b""))
    put("gzip", "two_members", gz("a,b\n") + gz("1,2\n"))
    put("gzip", "plain", b"not compressed")


if __name__ == "__main__":
    main()

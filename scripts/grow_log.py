#!/usr/bin/env python3
"""Grow a log made by gen_busy_log.py to a large size fast, for the memory benchmarks: COPIES
copies of SRC, each with its own resource ids, client tokens and year (so ids and tokens stay
distinct and times keep increasing from copy to copy). `--half` first puts an unknown parameter
on every other record (as `gen_busy_log.py --findings half` does).

  grow_log.py SRC OUT --bytes N [--half]
"""
import argparse


def with_finding(line):
    if b'"requestParameters":{}' in line:
        return line.replace(b'"requestParameters":{}', b'"requestParameters":{"DryRunMode":"true"}', 1)
    if b'"requestParameters":{' in line:
        return line.replace(b'"requestParameters":{', b'"requestParameters":{"DryRunMode":"true",', 1)
    return line[:-1] + b',"DryRunMode":"true"}' if line.endswith(b"}") else line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src")
    parser.add_argument("out")
    parser.add_argument("--bytes", type=int, required=True)
    parser.add_argument("--half", action="store_true")
    opts = parser.parse_args()
    data = open(opts.src, "rb").read()
    if opts.half:
        lines = data.split(b"\n")
        data = b"\n".join(with_finding(l) if i % 2 == 1 else l for i, l in enumerate(lines))
    written = 0
    with open(opts.out, "wb") as out:
        k = 0
        while written < opts.bytes:
            tag = b"%x" % k
            copy = (data.replace(b"-bp", b"-b" + tag)
                        .replace(b'"ClientToken":"', b'"ClientToken":"' + tag)
                        .replace(b'"2026-', b'"%d-' % (2026 + k)))
            last = written + len(copy) >= opts.bytes
            if last:
                cut = copy.rfind(b"\n", 0, opts.bytes - written)
                copy = copy[:cut + 1] if cut >= 0 else copy
            out.write(copy)
            written += len(copy)
            k += 1
            if last:
                break
    print(f"{opts.out}: {written} bytes, {k} copies")


if __name__ == "__main__":
    main()

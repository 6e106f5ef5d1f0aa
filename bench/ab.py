#!/usr/bin/env python3
"""Compares two variants of the server in one run, so that the machine's drift (minutes apart, runs of the same
code differ by 10 to 30%) does not decide the comparison.

    bench/ab.py TREE [--period 20] [--skip 220]

Start it, then bench/run.sh from TREE, a work tree whose server is a probe build that takes variant B while the
file /tmp/parley-ab/B exists (checked a few times a second) and A otherwise. It waits for that run's Payara
Micro, switches the variant in the order A B B A every PERIOD seconds, and prints each window: its start
(seconds after the server appeared), the variant, the server's CPU seconds in it, and cores used. When the
server ends it prints, for each block of four windows starting SKIP seconds or later (after the warm-up), how
much less CPU B used than A, and their mean with its standard error. At a fixed send rate the deliveries are
the same in every window (bench/run.sh's summary says whether nothing was lost), so CPU compares the variants.
"""
import argparse
import glob
import os
import statistics
import time

FLAG = '/tmp/parley-ab/B'


def server_pid(tree):
    for proc in glob.glob('/proc/[0-9]*'):
        try:
            args = open(proc + '/cmdline', 'rb').read().split(b'\0')
            if any(a.endswith(b'payara-micro.jar') for a in args) and os.readlink(proc + '/cwd') == tree:
                return int(proc.rsplit('/', 1)[1])
        except OSError:
            pass
    return None


def cpu_seconds(pid):
    fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def set_variant(variant):
    if variant == 'B':
        open(FLAG, 'w').close()
    elif os.path.exists(FLAG):
        os.remove(FLAG)


def until_load_ended(windows):
    """The windows before the first one in which the server used less than half the median's CPU: the load had
    ended in it (the server lives a few seconds past the run, and how long it took to start moves where that falls
    among the windows), so it and those after it would compare an idle server."""
    if not windows:
        return windows
    half = statistics.median(used for _, _, used in windows) / 2
    for i, (start, _, used) in enumerate(windows):
        if used < half:
            print(f'windows from {start:.1f} s on left out: the load had ended')
            return windows[:i]
    return windows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('tree')
    parser.add_argument('--period', type=float, default=20)
    parser.add_argument('--skip', type=float, default=220)
    options = parser.parse_args()
    os.makedirs(os.path.dirname(FLAG), exist_ok=True)
    set_variant('A')
    pid = None
    while pid is None:
        time.sleep(0.5)
        pid = server_pid(os.path.realpath(options.tree))
    print('server', pid, flush=True)
    began, windows = time.time(), []
    try:
        while True:
            variant = 'ABBA'[len(windows) % 4]
            set_variant(variant)
            time.sleep(0.5)  # the probe sees the switch before the window opens
            start, before = time.time(), cpu_seconds(pid)
            time.sleep(options.period - 0.5)
            used = cpu_seconds(pid) - before
            windows.append((start - began, variant, used))
            print(f'{start - began:7.1f} {variant} {used:7.2f} {used / (time.time() - start):6.3f}', flush=True)
    except OSError:  # the server ended
        pass
    finally:
        set_variant('A')
    measured = until_load_ended([w for w in windows if w[0] >= options.skip])
    savings = []
    for i in range(0, len(measured) - 3, 4):
        block = measured[i:i + 4]
        a = sum(used for _, variant, used in block if variant == 'A')
        b = sum(used for _, variant, used in block if variant == 'B')
        savings.append(1 - b / a)
    if len(savings) < 2:
        print('too few blocks after --skip to compare')
        return
    print('B used less CPU than A, by block:', ' '.join(f'{s:+.1%}' for s in savings))
    error = statistics.stdev(savings) / len(savings) ** 0.5
    print(f'mean {statistics.mean(savings):+.1%}, standard error {error:.1%} '
          f'({len(savings)} blocks of four {options.period:g} s windows)')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Writes docs/benchmarks.md from the RESULT lines of bench/suite.sh (and the progress runs), to stdout.

    python3 bench/report.py bench/results/SUITE.jsonl [bench/results/progress.jsonl] > docs/benchmarks.md

Every figure in the page comes from those files; nothing is typed in by hand.
"""
import glob
import json
import os
import sys

# 40 senders x 10 msg/s to rooms of 100: 39,600 to the others, and each sender gets its own message too.
TARGET_DELIVERIES = 40_000


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def pick(runs, tag, server, db=None):
    """The last run of a target; Parley's targets are measured on Payara Micro (runs on WildFly say so)."""
    found = [r for r in runs if r["tag"] == tag and r["server"] == server and (db is None or r.get("db") == db)
             and r.get("runtime") != "wildfly"]
    return found[-1] if found else None


def num(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def in_window(run):
    """Errors of the measured window, where the run says (older runs do not)."""
    return f" ({num(run['errors_in_window'])})" if "errors_in_window" in run else ""


def lost(run):
    """Deliveries lost, and beside them the sends never answered (no receipt, no error), where a run counted them."""
    unanswered = run.get("unanswered")
    return num(run["lost"]) + (f" (+{num(unanswered)} sends never answered)" if unanswered else "")


def ms(run, name, pct):
    if not run or f"{name}_us" not in run:
        return None
    return run[f"{name}_us"][pct] / 1000


def verdict(ok, detail=""):
    return ("met" if ok else "**not met**") + (f" ({detail})" if detail else "")


def pair(first, second, field, digits=0):
    """Two runs' figures as "first / second"; field is a key of the run or a function of it."""
    def get(run):
        return None if run is None else (field(run) if callable(field) else run.get(field))
    return f"{num(get(first), digits)} / {num(get(second), digits)}"


def at_half_the_target(run):
    """Whether a store-half run offered 10,000 messages/s; suites before 2026-12-02 17:24 ran at half of their
    own store-max."""
    return run["options"]["rate"] * run["options"]["senders"] == 10_000


def half_rate_p99(runs, db):
    """The store's receipt p99 at half rate, marked where that was not 10,000 messages/s."""
    run = pick(runs, "store-half", "parley", db)
    if run is None:
        return "–"
    return num(ms(run, "receipt", "p99"), 1) + ("" if at_half_the_target(run) else " †")


def replayed(runs):
    """Resume's replay rate, marked where it was the server's first catch-up."""
    run = pick(runs, "resume", "parley")
    if run is None:
        return "–"
    return num(run["replayed_per_s"]) + ("" if run["options"].get("warmups") else " (cold)")


def suite_row(name, runs):
    """One suite's figures against the targets, in the columns of history()."""
    target = pick(runs, "target", "parley")
    due = target is not None and "database_cpu_seconds" in target  # item 31's load generator and report
    commits = list(dict.fromkeys(r["commit"] for r in runs))
    cells = [
        name + (" ‡" if due else ""),
        f"`{commits[0]}`" + (f" (+{len(commits) - 1})" if len(commits) > 1 else ""),
        pair(target, pick(runs, "target", "socketio"), "server_cpu_us_per_delivery", 1),
        pair(target, pick(runs, "target", "socketio"), lambda r: ms(r, "delivery", "p99"), 1),
        pair(pick(runs, "saturation", "parley"), pick(runs, "saturation", "socketio"), "delivered_per_s"),
        pair(pick(runs, "idle", "parley"), pick(runs, "idle", "socketio"), "server_kib_per_connection", 1),
        pair(pick(runs, "store-max", "parley", "h2"), pick(runs, "store-max", "parley", "postgres"), "receipts_per_s"),
        f"{half_rate_p99(runs, 'h2')} / {half_rate_p99(runs, 'postgres')}",
        replayed(runs),
    ]
    return "| " + " | ".join(cells) + " |"


def history(w, suite_path):
    """Every suite in the folder of this one (bench/suite.sh names them by the minute it began), one line each."""
    folder = os.path.dirname(suite_path) or "."
    paths = sorted(glob.glob(os.path.join(folder, "[0-9]" * 4 + "-[0-9][0-9]-[0-9][0-9]-" + "[0-9]" * 4 + ".jsonl")))
    if len(paths) < 2:
        return
    w("")
    w("## Every suite so far")
    w("")
    w("The same targets in every suite `bench/suite.sh` has written to `bench/results/`, oldest first, to tell the "
      "code's trend from the machine's: the Socket.IO server is the same in every suite, so its figures show how fast "
      "the machine was that hour. A pair is Parley's / Socket.IO's, but in the store columns H2's / PostgreSQL's. "
      "Suites marked ‡ time a send's latency from when it was due; the ones before, from when the load generator "
      "got round to it, which left the generator's own delay out (performance.md, item 31). A store half-rate "
      "figure marked † was taken at half of that suite's own full-speed rate, not at 10,000 messages/s; a resume "
      "figure marked cold is the first catch-up after the server started, before the suite measured it after three.")
    w("")
    w("| Suite | Commit | Fan-out µs/delivery | Fan-out p99 (ms) | Saturation deliveries/s | Idle KiB/connection | "
      "Stored/s H2 / PostgreSQL | Receipt p99 at half rate (ms) H2 / PostgreSQL | Resume/s |")
    w("|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        w(suite_row(os.path.basename(path)[:-len(".jsonl")], load(path)))


def main():
    suite = load(sys.argv[1])
    progress = load(sys.argv[2]) if len(sys.argv) > 2 else []
    first = suite[0]
    out = []
    w = out.append
    w("# Benchmarks")
    w("")
    # Every commit the runs were made at, with how many: a suite finished by hand after a fix is not one commit.
    commits = {}
    for r in suite:
        commits[r['commit']] = commits.get(r['commit'], 0) + 1
    at = (f"at commit `{first['commit']}`" if len(commits) == 1 else "at commits " + ", ".join(
        f"`{c}` ({n} runs)" for c, n in commits.items()))
    w(f"Generated by `bench/report.py` from `{sys.argv[1]}`, which `bench/suite.sh` wrote on "
      f"{first['date'][:10]} {at}. Do not edit: run `bench/suite.sh` again. "
      "What the scenarios do, how to read a profile, and why the figures are what they are: "
      "[performance.md](performance.md).")
    w("")
    w("## The machine")
    w("")
    w(f"{first.get('machine', 'machine not recorded')}. Parley runs on Payara Micro 6.2025.10 with a fixed heap (`-Xms` = `-Xmx` = "
      f"{first.get('heap') or '1g'}); the Socket.IO server is `bench/socketio/server.js` (socket.io 4.8.3, WebSocket "
      "transport only, no compression; it gives each message a per-room sequence number, answers its sender and keeps "
      "read markers, all in memory: it stores nothing, where Parley writes every message to its database before it "
      "delivers it). The load generator (`bench/`, Netty) runs on the same machine; its own CPU is "
      "in every line below. \"Pinned\" runs put the server on core 0 and the load generator on core 1 (taskset).")
    w("")
    w("## Against the targets")
    w("")
    w("| Target | Parley | Socket.IO | |")
    w("|---|---|---|---|")
    p, s = pick(suite, "target", "parley"), pick(suite, "target", "socketio")
    if p and s:
        pc, sc = p.get("server_cpu_us_per_delivery"), s.get("server_cpu_us_per_delivery")
        w(f"| Fan-out, 2,000 connections, 20 rooms, 40 senders × 10 msg/s: server CPU per delivery, at most "
          f"Socket.IO's | {num(pc, 1)} µs | {num(sc, 1)} µs | "
          f"{verdict(pc <= sc, '' if pc <= sc else f'{pc / sc:.1f}× Socket.IO')} |")
        pp, sp = ms(p, "delivery", "p99"), ms(s, "delivery", "p99")
        w(f"| … p99 send-to-delivery latency, at most Socket.IO's | {num(pp, 1)} ms | {num(sp, 1)} ms | "
          f"{verdict(pp <= sp, '' if pp <= sp else f'{pp / sp:.1f}× Socket.IO')} |")
        w(f"| … delivered per second (offered {TARGET_DELIVERIES:,}) | {num(p['delivered_per_s'])} | "
          f"{num(s['delivered_per_s'])} | |")
        w(f"| … lost, zero | {lost(p)} | {lost(s)} | {verdict(p['lost'] == 0 and not p.get('unanswered'))} |")
    p, s = pick(suite, "saturation", "parley"), pick(suite, "saturation", "socketio")
    if p and s:
        share = p["delivered_per_s"] / s["delivered_per_s"]
        w(f"| Saturation, server pinned to one core: delivered msgs/s, at least Socket.IO's | "
          f"{num(p['delivered_per_s'])} | {num(s['delivered_per_s'])} | "
          f"{verdict(share >= 1, '' if share >= 1 else f'{share:.0%} of Socket.IO')} |")
    p, s = pick(suite, "idle", "parley"), pick(suite, "idle", "socketio")
    if p and s:
        pk, sk = p["server_kib_per_connection"], s["server_kib_per_connection"]
        w(f"| {num(p['connected'])} idle connections: server memory per connection (RSS delta), at most "
          f"Socket.IO's | {num(pk, 1)} KiB | {num(sk, 1)} KiB | "
          f"{verdict(pk <= sk, '' if pk <= sk else f'{pk / sk:.1f}× Socket.IO')} |")
    for db, name in (("h2", "H2"), ("postgres", "PostgreSQL")):
        m, h = pick(suite, "store-max", "parley", db), pick(suite, "store-half", "parley", db)
        if m:
            share = m["receipts_per_s"] / 20_000
            w(f"| Store on {name}: stored messages/s with receipts, at least 20,000 | "
              f"{num(m['receipts_per_s'])} | | "
              f"{verdict(share >= 1, '' if share >= 1 else f'{share:.0%} of the target')} |")
        if h:
            hp = ms(h, "receipt", "p99")
            rate = "that rate" if at_half_the_target(h) else "the store-max run's rate"
            w(f"| … receipt p99 at half {rate} ({num(h['receipts_per_s'])}/s), under 20 ms | {num(hp, 1)} ms | | "
              f"{verdict(hp < 20)} |")
    r = pick(suite, "resume", "parley")
    if r:
        share = r["replayed_per_s"] / 50_000
        warm = f", after {r['options']['warmups']} catch-ups by other readers" if r["options"].get("warmups") else ""
        w(f"| Resume: {num(r['replayed'])} missed messages replayed per second{warm}, at least 50,000 | "
          f"{num(r['replayed_per_s'])} | | "
          f"{verdict(share >= 1, '' if share >= 1 else f'{share:.0%} of the target')} |")
    w("")
    w("## Every run of the suite")
    w("")
    w("| Scenario | Server | Delivered/s | Receipts/s | p50 / p99 / max delivery (ms) | Receipt p99 (ms) | "
      "Lost | Dup. | Errors (in the window) | Server CPU µs/delivery | Peak RSS (MiB) | Load generator CPU s |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for run in suite:
        label = f"{run['tag']} ({run['scenario']}{', pinned' if run['pinned'] else ''}"
        label += f", {run['db']})" if run.get("db") else ")"
        if run["scenario"] in ("fanout", "store"):
            w(f"| {label} | {run['server']} | {num(run['delivered_per_s'])} | {num(run['receipts_per_s'])} | "
              f"{num(ms(run, 'delivery', 'p50'), 1)} / {num(ms(run, 'delivery', 'p99'), 1)} / "
              f"{num(ms(run, 'delivery', 'max'), 1)} | {num(ms(run, 'receipt', 'p99'), 1)} | {lost(run)} | "
              f"{num(run['duplicates'])} | {num(run['errors'])}{in_window(run)} | {num(run.get('server_cpu_us_per_delivery'), 1)} | "
              f"{num(run.get('server_peak_rss_mib'))} | {num(run['client_cpu_seconds'], 1)} |")
    w("")
    if any(run["scenario"] in ("fanout", "store") and "refused" not in run and run["lost"] for run in suite):
        w("This suite's load generator did not yet tell refused sends from lost ones: its Lost column counts the "
          "sends the server refused with an error frame (the Errors column) as lost too (performance.md, "
          "\"The benchmark\").")
        w("")
    for run in suite:
        if run["scenario"] == "connect":
            w(f"- connect, {run['server']}: {num(run['connected'])} connections opened in "
              f"{num(run['open_seconds'], 1)} s, {run['connect_failures']} failed; server RSS "
              f"{num(run['server_rss_before_mib'])} MiB before, {num(run['server_rss_after_mib'])} MiB after: "
              f"{num(run['server_kib_per_connection'], 1)} KiB per connection"
              + (f"; live heap {num(run['server_live_kib_per_connection'], 1)} KiB per connection"
                 if "server_live_kib_per_connection" in run else "") + ".")
        if run["scenario"] == "resume":
            w(f"- resume, {run['server']} ({run['db']}): {num(run['replayed'])} messages replayed in "
              f"{num(run['replay_seconds'], 2)} s = {num(run['replayed_per_s'])}/s"
              + (f" after {run['options']['warmups']} catch-ups of the same messages by other readers (the "
                 f"first, on the cold server: {num(run['first_replayed_per_s'])}/s)" if "first_replayed_per_s" in run
                 else "")
              + f" (posting them: {num(run['posted_per_s'])}/s)"
              + (f"; the whole room scrolled back with history pages: {num(run['scrolled_per_s'])} messages/s"
                 if "scrolled_per_s" in run else "") + ".")
    w("")
    w("The commands, in the order they ran:")
    w("")
    w("```")
    for run in suite:
        w(run.get("command", "bench/run.sh " + run.get("args", "")))
    w("```")
    history(w, sys.argv[1])
    steps = [r for r in progress if r["tag"] not in ("", "profile") and r["scenario"] == "fanout"
             and r["options"].get("connections") == 2000]
    if steps:
        w("")
        w("## Before and after")
        w("")
        w(f"The fan-out target's workload while the send path was reworked, from `{sys.argv[2]}` (each change is "
          "described in [performance.md](performance.md); a run marked dirty ran on the change before it was "
          "committed). Pinned runs had one core for the server: below the offered 40,000 deliveries/s the server "
          "was saturated and fell behind; their latency is not shown, because those runs took it before the "
          "backlog was delivered.")
        w("")
        w("| Step | Commit | Pinned | Warm-up s | Delivered/s | Server CPU µs/delivery | Lost | p99 (ms) |")
        w("|---|---|---|---|---|---|---|---|")
        for r in steps:
            p99 = ms(r, "delivery", "p99") if not r["pinned"] else None
            w(f"| {r['tag']} ({r['server']}) | `{r['commit']}` | {'yes' if r['pinned'] else 'no'} | "
              f"{r['options']['warmup']} | {num(r['delivered_per_s'])} | "
              f"{num(r.get('server_cpu_us_per_delivery'), 1)} | {num(r['lost'])} | {num(p99, 1)} |")
    stored = [r for r in progress if r["scenario"] == "store" and r["tag"].startswith("store: ")]
    if stored:
        w("")
        w("Storing, `store --senders 50`, as fast as receipts allow (`--rate 0 --window 8`) or at a fixed rate per "
          "sender, while group commit was reworked (performance.md, \"Storing\"); the runs marked \"dropped\" "
          "or \"not kept\" are attempts that were not committed:")
        w("")
        w("| Step | Database | Commit | Sent | Stored/s | Receipt p99 (ms) | Server CPU µs/message |")
        w("|---|---|---|---|---|---|---|")
        for r in stored:
            rate = r["options"].get("rate", 0)
            sent = f"{num(rate)}/s each" if rate else f"window {r['options'].get('window')}"
            w(f"| {r['tag'][len('store: '):]} | {r['db']} | `{r['commit']}` | {sent} | "
              f"{num(r['delivered_per_s'])} | {num(ms(r, 'receipt', 'p99'), 1)} | "
              f"{num(r.get('server_cpu_us_per_delivery'), 1)} |")
    resumed = [r for r in progress if r["scenario"] == "resume" and r["tag"].startswith("resume: ")]
    if resumed:
        w("")
        w("Catching up, `resume --messages 50000`, while the replay's and history's page queries were reworked "
          "(performance.md, \"Resume\" and \"History\"):")
        w("")
        w("| Step | Commit | Replayed/s | Scrolled back with history/s |")
        w("|---|---|---|---|")
        for r in resumed:
            w(f"| {r['tag'][len('resume: '):]} | `{r['commit']}` | {num(r['replayed_per_s'])} | "
              f"{num(r.get('scrolled_per_s'))} |")
    opened = [r for r in progress if r["scenario"] == "connect" and r["tag"].startswith("connect: ")]
    if opened:
        w("")
        w("Opening connections, `connect --connections N` (each a guest sign-in over HTTP, the upgrade and "
          "`hello`), while what it costs was looked into (performance.md, items 15 and 29):")
        w("")
        w("| Step | Commit | Connections | Opened in (s) | Failed | Server KiB per connection | "
          "Live heap KiB per connection |")
        w("|---|---|---|---|---|---|---|")
        for r in opened:
            w(f"| {r['tag'][len('connect: '):]} | `{r['commit']}` | {num(r['connected'])} | "
              f"{num(r['open_seconds'], 1)} | {r['connect_failures']} | {num(r['server_kib_per_connection'], 1)} | "
              f"{num(r.get('server_live_kib_per_connection'), 1)} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()

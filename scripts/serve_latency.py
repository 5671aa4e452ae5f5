#!/usr/bin/env python3
"""Times `sijill serve` from saving a changed report to the reload signal.

Usage: scripts/serve_latency.py ROOT PORT [ROUNDS]

With `sijill serve --root ROOT --port PORT` running (and its first build done), edits one
report of ROOT several ways (counts, title, publication date, body, taxonomy values within
existing terms), each ROUNDS times, and prints the milliseconds from the file write to the
server-sent event that tells pages to reload. Waits for each rebuild to settle (exports
written) before the next edit. The report is restored at the end.
"""

import re
import socket
import sys
import time
from pathlib import Path


def events(port):
    """An open event stream, past its first message."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__sijill/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    f = s.makefile("rb")
    while not f.readline().startswith(b"data: "):
        pass
    return s, f


def next_event(f):
    while True:
        line = f.readline()
        if not line:
            raise SystemExit("the event stream closed")
        if line.startswith(b"data: "):
            return


def status(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /__sijill/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    text = b""
    while chunk := s.recv(4096):
        text += chunk
    g, settled = text.split(b"\r\n\r\n", 1)[1].split()
    return int(g), int(settled)


def wait_settled(port):
    while True:
        g, settled = status(port)
        if g == settled:
            return
        time.sleep(0.01)


def main():
    root, port = Path(sys.argv[1]), int(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    report = sorted((root / "content" / "reports").rglob("*.md"))[len(sys.argv[1]) % 7]
    original = report.read_text()
    day = re.search(r"^date: (\d{4}-\d{2})-(\d{2})$", original, re.M)

    def counts(text, n):
        # The report's total grows: it stays above what its locations add up to.
        return re.sub(r"^(casualties: \{killed: )(\d+)",
                      lambda m: f"{m.group(1)}{int(m.group(2)) + n + 1}", text, count=1,
                      flags=re.M)

    def title(text, n):
        return re.sub(r'^title: "', f'title: "Edited {n} ', text, count=1, flags=re.M)

    def date(text, n):
        # The publication date moves the report within its listings; its period (the
        # days it is listed on) stays.
        d = max(1, int(day.group(2)) - 1 - n % 2)
        return text.replace(day.group(0), f"date: {day.group(1)}-{d:02}", 1)

    def body(text, n):
        return text + f"\nAn added sentence, number {n}.\n"

    def terms(text, n):
        other = ["airstrike", "shelling"][n % 2]
        return re.sub(r"^incident_types: \[.*\]$", f"incident_types: [{other}]", text,
                      count=1, flags=re.M)

    _, stream = events(port)
    try:
        for name, edit in [("counts", counts), ("title", title), ("date", date),
                           ("body", body), ("terms", terms)]:
            figures = []
            for n in range(rounds):
                wait_settled(port)
                text = edit(original, n)
                start = time.perf_counter()
                report.write_text(text)
                next_event(stream)
                figures.append((time.perf_counter() - start) * 1000)
            print(f"{name:>7}: " + " ".join(f"{ms:5.0f}" for ms in figures) + " ms")
    finally:
        wait_settled(port)
        report.write_text(original)
        wait_settled(port)
    print(f"(edited {report})")


if __name__ == "__main__":
    main()

"""Summarises one schemathesis run of `make fuzz` (infra/fuzz/run.sh) from its reports.

    python3 summary.py REPORT_DIR API_LOG REPRO_BASE_URL MIN_CASES [SCHEMATHESIS_EXIT_CODE]

Reads the JSON report (totals) and the NDJSON event stream (every failing check with its request)
that schemathesis wrote to REPORT_DIR, and prints: the cases run, then each failure grouped by check
and operation, with how many cases hit it, the server's own error message for a 5xx (found in the
API's log by the reply's x-request-id) and the shortest curl that reproduces it, aimed at
REPRO_BASE_URL. When the run was stopped before its end (FUZZ_TIME_LIMIT), there is no JSON report
and the counts come from the events streamed until then. Exits 0 when the run is clean, complete
and ran at least MIN_CASES cases, 1 otherwise. Standard library only.
"""

from __future__ import annotations

import base64
import glob
import json
import os
import shlex
import sys
from collections import defaultdict
from urllib.parse import urlsplit


def latest(pattern: str) -> str | None:
    files = sorted(glob.glob(pattern), key=os.path.getmtime)
    return files[-1] if files else None


def decode(body: object) -> bytes | None:
    if isinstance(body, dict) and "$base64" in body:
        return base64.b64decode(body["$base64"])
    if isinstance(body, str):
        return body.encode()
    return None


def header_values(headers: dict, name: str) -> list[str]:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value if isinstance(value, list) else [value]
    return []


def curl(case: dict, request: dict, base_url: str) -> str:
    """A shell command that sends the same request: method, path and query, headers, body."""
    parts = urlsplit(request.get("uri", ""))
    url = base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
    args = ["curl", "-i"]
    if any(c in url for c in "[]{}"):
        args.append("--globoff")  # brackets and braces are curl's URL globs otherwise
    if "/./" in parts.path or "/../" in parts.path or parts.path.endswith(("/.", "/..")):
        args.append("--path-as-is")
    method = request.get("method", "GET")
    if method != "GET":
        args += ["-X", method]
    # The report leaves out headers every request has (Accept among them); the case keeps the ones
    # generated for it, so both are merged, the case's first.
    headers: dict[str, str] = {}
    for source in (case.get("headers") or {}, request.get("headers") or {}):
        for key, value in source.items():
            values = value if isinstance(value, list) else [value]
            if key.lower() not in {k.lower() for k in headers}:
                headers[key] = ", ".join(str(v) for v in values)
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    body = decode(request.get("body"))
    prefix = ""
    if body is not None:
        try:
            args += ["--data-binary", body.decode("utf-8")]
        except UnicodeDecodeError:
            prefix = "printf '%b' " + shlex.quote("".join(f"\\x{b:02x}" for b in body)) + " | "
            args += ["--data-binary", "@-"]
    args.append(url)
    return prefix + " ".join(shlex.quote(a) for a in args)


def read_api_log(api_log: str) -> tuple[dict[str, str], list[str]]:
    """From the API's log (pino, one JSON object a line): request id -> the error logged for it
    (its 5xx replies say only 'internal error'), and the requests it took in but never answered
    ("incoming request" without "request completed"): hangs, even when schemathesis was stopped."""
    errors: dict[str, str] = {}
    incoming: dict[str, str] = {}
    try:
        with open(api_log, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(entry, dict) or not entry.get("reqId"):
                    continue
                request_id = entry["reqId"]
                if entry.get("msg") == "incoming request" and isinstance(entry.get("req"), dict):
                    incoming[request_id] = f"{entry['req'].get('method', '?')} {entry['req'].get('url', '?')}"
                elif entry.get("msg") == "request completed":
                    incoming.pop(request_id, None)
                if entry.get("level", 0) >= 50:
                    err = entry.get("err") or {}
                    errors[request_id] = str(err.get("message") or entry.get("msg") or "")
    except OSError:
        pass
    return errors, sorted(incoming.values(), key=len)


def main() -> int:
    report_dir, api_log, base_url, min_cases = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    exit_code = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    json_report = latest(os.path.join(report_dir, "json-*.json"))
    ndjson_report = latest(os.path.join(report_dir, "ndjson-*.ndjson"))
    if not ndjson_report:
        print(f"fuzz: schemathesis wrote no report in {report_dir} (exit code {exit_code}): see its output above")
        return 1
    report: dict = {}
    if json_report:
        try:
            with open(json_report, encoding="utf-8") as f:
                report = json.load(f)
        except ValueError:  # created at the start and written at the end: a stopped run leaves it empty
            json_report = None
    streamed_cases = 0
    logged, never_answered = read_api_log(api_log)

    # (code, check, operation) -> the cases that failed it, (curl, message) of each, the statuses
    # answered and the errors the server logged for them
    groups: dict[tuple[str, str, str], dict] = defaultdict(lambda: {"cases": set(), "samples": [], "server": set(), "statuses": set()})
    errors: dict[tuple[str, str], dict] = defaultdict(lambda: {"count": 0})
    # operation -> curls of requests that got no response (timed out: a hang; or the connection broke)
    unanswered: dict[str, list[str]] = defaultdict(list)
    with open(ndjson_report, encoding="utf-8") as events:
        for line in events:
            try:
                (kind, event), = json.loads(line).items()
            except ValueError:  # the last line of a run stopped mid-write
                continue
            if kind == "NonFatalError":
                value = event.get("value") or {}
                message = str(value.get("message") or value.get("title") or value) if isinstance(value, dict) else str(value)
                key = (event.get("label") or "?", message.strip().splitlines()[0][:200] if message.strip() else "?")
                errors[key]["count"] += 1
                continue
            if kind != "ScenarioFinished":
                continue
            recorder = event.get("recorder") or {}
            cases = recorder.get("cases") or {}
            streamed_cases += len(cases)
            interactions = recorder.get("interactions") or {}
            for case_id, interaction in interactions.items():
                if interaction.get("request") and not interaction.get("response"):
                    case = (cases.get(case_id) or {}).get("value") or {}
                    unanswered[recorder.get("label") or "?"].append(curl(case, interaction["request"], base_url))
            for case_id, checks in (recorder.get("checks") or {}).items():
                for check in checks:
                    if str(check.get("status", "")).lower() != "failure":
                        continue
                    failure = ((check.get("failure_info") or {}).get("failure")) or {}
                    case = (cases.get(case_id) or {}).get("value") or {}
                    operation = failure.get("operation") or f"{case.get('method', '?')} {case.get('path', '?')}"
                    group = groups[(failure.get("code") or "?", check.get("name") or "?", operation)]
                    group["cases"].add(case.get("id") or case_id)
                    interaction = interactions.get(case_id) or {}
                    request = interaction.get("request") or {}
                    response = interaction.get("response") or {}
                    message = " / ".join(l.strip() for l in (failure.get("message") or "").splitlines() if l.strip())
                    if request:
                        group["samples"].append((curl(case, request, base_url), message))
                    if isinstance(response, dict) and response.get("status_code") is not None:
                        group["statuses"].add(response["status_code"])
                        for request_id in header_values(response.get("headers") or {}, "x-request-id"):
                            if request_id in logged:
                                group["server"].add(logged[request_id])

    if not report:
        print(f"fuzz: the run was stopped before its end (exit code {exit_code}); counts are of what it reported until then")
        report = {"test_cases": {"generated": streamed_cases, "with_failures": len({c for g in groups.values() for c in g["cases"]})}}
    cases = report.get("test_cases") or {}
    generated = int(cases.get("generated") or 0)
    operations = report.get("operations") or {}
    if json_report:
        phases = ", ".join(f"{name} {info.get('status')}" for name, info in (report.get("phases") or {}).items())
        print(
            f"fuzz: {generated} cases over {operations.get('tested', '?')} of {operations.get('total', '?')} operations "
            f"(seed {report.get('seed')}; phases: {phases}) in {report.get('running_time', 0):.0f} s"
        )
    else:
        print(f"fuzz: {generated} cases reported before the stop")
    print(f"fuzz: {cases.get('with_failures', 0)} cases failed, {len(groups)} distinct failures (check and operation), "
          f"{sum(e['count'] for e in errors.values())} errors")
    if groups:
        print(f"fuzz: failures by check and operation (reproduce against {base_url}):")
        for (code, check, operation), group in sorted(groups.items(), key=lambda item: (item[0][2], item[0][0])):
            statuses = ", ".join(str(s) for s in sorted(group["statuses"]))
            print(f"  {code} {check} on {operation}: {len(group['cases'])} case(s){f', status {statuses}' if statuses else ''}")
            # The shortest request that failed it, with what schemathesis said about that one.
            command, message = min(group["samples"], key=lambda sample: len(sample[0])) if group["samples"] else ("", "")
            if message:
                print(f"    {message[:300]}")
            for text in sorted(group["server"])[:3]:
                print(f"    server log: {text[:300]}")
            if command:
                print(f"    {command}")
    if errors:
        print("fuzz: errors (the run could not complete these):")
        for (label, message), info in sorted(errors.items()):
            print(f"  {label}: {message} ({info['count']}x)")
            if unanswered.get(label):
                print(f"    {len(unanswered[label])} request(s) got no response; the shortest:")
                print(f"    {min(unanswered[label], key=len)}")
    if never_answered:
        print(f"fuzz: {len(never_answered)} request(s) the API took in and never answered (a hang), the shortest:")
        for request in list(dict.fromkeys(never_answered))[:3]:
            method, _, target = request.partition(" ")
            print(f"    curl -i -m 10{'' if method == 'GET' else f' -X {method}'} {shlex.quote(base_url.rstrip('/') + target)}")
    failed = bool(groups) or bool(never_answered) or bool(errors) or int(cases.get("with_failures") or 0) > 0 or exit_code != 0 or not json_report
    if generated < min_cases:
        cause = (
            "the run was stopped (FUZZ_TIME_LIMIT)" if not json_report
            else "the run ended early (see the errors)" if errors
            else "raise FUZZ_MAX_EXAMPLES"
        )
        print(f"fuzz: only {generated} cases ran, fewer than the {min_cases} required: {cause}")
        failed = True
    print(f"fuzz: {'FAILED' if failed else 'passed'} (reports: {report_dir})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

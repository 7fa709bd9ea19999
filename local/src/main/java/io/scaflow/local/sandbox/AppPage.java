package io.scaflow.local.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /} (and {@code /app}): a page playing the user's Shine app. It lists the action requests waiting for
 * an answer (PENDING, not expired) with Confirm and Reject buttons calling the control API, and the last answered
 * ones; it refreshes every second. Plain HTML and JavaScript, nothing loaded from elsewhere.
 */
final class AppPage {

    private AppPage() {
    }

    static boolean owns(HttpCall call) {
        return "GET".equals(call.method())
                && (call.path().equals("/") || call.path().equals("/app") || call.path().equals("/app/"));
    }

    static HttpAnswer answer() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/html; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        headers.put("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                + "style-src 'unsafe-inline'; connect-src 'self'");
        return new HttpAnswer(200, headers, HTML.getBytes(StandardCharsets.UTF_8));
    }

    private static final String HTML = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Shine sandbox - the user's app</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1d1d1f; }
              h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
              table { border-collapse: collapse; width: 100%; }
              th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #ddd; }
              td.amount { font-variant-numeric: tabular-nums; font-weight: 600; }
              button { font: inherit; padding: .3rem .9rem; border-radius: .4rem; border: 1px solid #888; cursor: pointer; }
              button.confirm { background: #0a7d32; color: #fff; border-color: #0a7d32; }
              button.reject { background: #fff; color: #b3261e; border-color: #b3261e; }
              .status-CONFIRMED { color: #0a7d32; font-weight: 600; } .status-REJECTED { color: #b3261e; font-weight: 600; }
              .muted { color: #666; } #error { color: #b3261e; }
            </style>
            </head>
            <body>
            <h1>Shine sandbox &mdash; the user's app</h1>
            <p class="muted">Action requests waiting for the user's answer. Confirm or reject them as the user would in
              Shine's app. The list refreshes every second.</p>
            <p id="error" role="alert"></p>
            <h2>Waiting for the user</h2>
            <table id="pending">
              <thead><tr><th>Amount</th><th>Recipient</th><th>User</th><th>Action</th><th>Expires</th><th></th></tr></thead>
              <tbody></tbody>
            </table>
            <p id="none" class="muted">Nothing to confirm.</p>
            <h2>Answered</h2>
            <table id="answered">
              <thead><tr><th>Amount</th><th>Recipient</th><th>User</th><th>Status</th><th>Answered</th></tr></thead>
              <tbody></tbody>
            </table>
            <script>
            "use strict";
            const text = (v) => (v === undefined || v === null) ? "" : String(v);
            function cell(row, value, cls) {
              const td = document.createElement("td");
              td.textContent = text(value);
              if (cls) td.className = cls;
              row.appendChild(td);
              return td;
            }
            function amount(r) {
              const a = r.payload && r.payload.amount;
              return typeof a === "number" ? a.toFixed(2) + " \\u20ac" : text(a);
            }
            function recipient(r) { return r.payload ? r.payload.bankTransferRecipientId : ""; }
            async function answer(id, verb) {
              const response = await fetch("/sandbox/action_requests/" + encodeURIComponent(id) + "/" + verb,
                                           { method: "POST" });
              if (!response.ok) {
                const body = await response.json().catch(() => ({}));
                document.getElementById("error").textContent = verb + " failed: " + text(body.message || response.status);
              }
              await refresh();
            }
            async function refresh() {
              let all;
              try {
                const response = await fetch("/sandbox/action_requests", { cache: "no-store" });
                all = (await response.json()).data || [];
                document.getElementById("error").textContent = "";
              } catch (e) {
                document.getElementById("error").textContent = "the sandbox does not answer";
                return;
              }
              const now = Date.now();
              const pending = all.filter(r => r.status === "PENDING" && !r.expired)
                                 .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
              const body = document.querySelector("#pending tbody");
              body.replaceChildren();
              for (const r of pending) {
                const row = document.createElement("tr");
                row.dataset.id = r.id;
                cell(row, amount(r), "amount");
                cell(row, recipient(r));
                cell(row, r.uid);
                cell(row, r.action);
                const left = Math.max(0, Math.round((Date.parse(r.expiresAt) - now) / 1000));
                const expires = cell(row, "in " + left + " s");
                expires.title = r.expiresAt;
                const buttons = cell(row, "");
                for (const [verb, label] of [["confirm", "Confirm"], ["reject", "Reject"]]) {
                  const b = document.createElement("button");
                  b.className = verb;
                  b.textContent = label;
                  b.dataset.id = r.id;
                  b.addEventListener("click", () => { b.disabled = true; answer(r.id, verb); });
                  buttons.appendChild(b);
                  buttons.appendChild(document.createTextNode(" "));
                }
                body.appendChild(row);
              }
              document.getElementById("none").hidden = pending.length > 0;
              const answered = all.filter(r => r.status !== "PENDING")
                                  .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 10);
              const done = document.querySelector("#answered tbody");
              done.replaceChildren();
              for (const r of answered) {
                const row = document.createElement("tr");
                row.dataset.id = r.id;
                cell(row, amount(r), "amount");
                cell(row, recipient(r));
                cell(row, r.uid);
                cell(row, r.status, "status status-" + r.status);
                cell(row, new Date(r.updatedAt).toLocaleTimeString());
                done.appendChild(row);
              }
            }
            refresh();
            setInterval(refresh, 1000);
            </script>
            </body>
            </html>
            """;
}

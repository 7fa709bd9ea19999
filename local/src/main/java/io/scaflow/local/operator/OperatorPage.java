package io.scaflow.local.operator;

/**
 * {@code GET /operator}: the operator page. The flows (status, attempt, amount, age, reminder) refreshed every two
 * seconds, OUTCOME_UNKNOWN ones marked; a flow's timeline (history and status events) opened by its button; for an
 * OUTCOME_UNKNOWN flow, the reconciliation form. Plain HTML and JavaScript, nothing loaded from elsewhere.
 */
final class OperatorPage {

    private OperatorPage() {
    }

    static final String HTML = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>scaflow - operator</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; color: #1d1d1f; }
              h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; } h3 { font-size: 1rem; }
              table { border-collapse: collapse; width: 100%; }
              th, td { text-align: left; padding: .35rem .55rem; border-bottom: 1px solid #ddd; vertical-align: top; }
              td.amount, td.num { font-variant-numeric: tabular-nums; }
              td.amount { font-weight: 600; }
              tr.unknown { background: #fff4e5; }
              .badge { display: inline-block; margin-left: .4rem; padding: 0 .45rem; border-radius: .6rem;
                       background: #b35c00; color: #fff; font-size: .8rem; }
              .status-SUCCEEDED { color: #0a7d32; font-weight: 600; } .status-FAILED, .status-REJECTED { color: #b3261e; }
              .status-OUTCOME_UNKNOWN { color: #b35c00; font-weight: 700; }
              button { font: inherit; padding: .2rem .7rem; border-radius: .4rem; border: 1px solid #888; cursor: pointer; }
              button.submit { background: #1d4ed8; color: #fff; border-color: #1d4ed8; }
              #timeline { margin-top: 1.5rem; padding: 1rem; border: 1px solid #ccc; border-radius: .5rem; }
              form label { display: block; margin: .4rem 0; } form input[type=text] { width: 32rem; font: inherit; }
              .muted { color: #666; } .error { color: #b3261e; } .ok { color: #0a7d32; }
              code { font-size: .9em; }
            </style>
            </head>
            <body>
            <h1>scaflow &mdash; operator</h1>
            <p class="muted">The flows of the local stack's table, newest first, refreshed every two seconds. A flow
              marked <span class="badge">reconcile</span> ended OUTCOME_UNKNOWN: check the account at Shine, then
              record what happened in its timeline. Reconciliations are sent as <code id="operator"></code>.</p>
            <p id="error" class="error" role="alert"></p>
            <table id="flows">
              <thead><tr><th>Flow</th><th>Status</th><th>Attempt</th><th>Amount</th><th>Age</th><th>Reminder</th><th></th></tr></thead>
              <tbody></tbody>
            </table>
            <p id="none" class="muted">No flow yet.</p>
            <section id="timeline" hidden>
              <h2>Timeline of <code id="timeline-id"></code>: <span id="timeline-status"></span></h2>
              <p id="timeline-error" class="muted"></p>
              <h3>History</h3>
              <table id="history">
                <thead><tr><th>At</th><th>Status</th><th>Reason</th><th>Reconciliation</th></tr></thead>
                <tbody></tbody>
              </table>
              <h3>Status events</h3>
              <table id="events">
                <thead><tr><th>#</th><th>Time</th><th>Change</th><th>Attempt</th><th>Reminder</th><th>Ended</th></tr></thead>
                <tbody></tbody>
              </table>
              <p id="events-none" class="muted"></p>
              <form id="reconcile" hidden>
                <h3>Reconcile this OUTCOME_UNKNOWN flow</h3>
                <p class="muted">Nothing is sent to Shine: this records what you found there. Wait a minute after
                  the flow became OUTCOME_UNKNOWN: a late answer from Shine may still settle it.</p>
                <label>Outcome <select id="outcome" name="outcome">
                  <option value="SUCCEEDED">SUCCEEDED: the transfer was made</option>
                  <option value="FAILED">FAILED: it was not</option></select></label>
                <label>Shine transfer id (SUCCEEDED only, optional) <input type="text" id="transfer" name="shineTransferId"></label>
                <label>Note (what you checked) <input type="text" id="note" name="note" required maxlength="1000"></label>
                <button type="submit" class="submit">Record the reconciliation</button>
              </form>
              <p id="form-result" role="status"></p>
            </section>
            <script>
            "use strict";
            const OPERATOR = "__OPERATOR__";
            let selected = null;
            const text = (v) => (v === undefined || v === null) ? "" : String(v);
            function cell(row, value, cls) {
              const td = document.createElement("td");
              td.textContent = text(value);
              if (cls) td.className = cls;
              row.appendChild(td);
              return td;
            }
            function amount(f) { return typeof f.amount === "number" ? f.amount.toFixed(2) + " \\u20ac" : text(f.amount); }
            function when(t) { return t ? String(t).replace("T", " ").replace(/(\\.\\d{3})\\d*/, "$1") : ""; }
            function age(s) {
              if (s < 60) return s + " s";
              if (s < 3600) return Math.floor(s / 60) + " min";
              if (s < 86400) return Math.floor(s / 3600) + " h";
              return Math.floor(s / 86400) + " d";
            }
            async function refresh() {
              let flows;
              try {
                const response = await fetch("/operator/api/flows", { cache: "no-store" });
                flows = (await response.json()).flows || [];
                document.getElementById("error").textContent = "";
              } catch (e) {
                document.getElementById("error").textContent = "the local stack does not answer";
                return;
              }
              const body = document.querySelector("#flows tbody");
              body.replaceChildren();
              for (const f of flows) {
                const row = document.createElement("tr");
                row.dataset.id = f.id;
                row.dataset.status = f.status;
                if (f.needsReconciliation) row.className = "unknown";
                cell(row, f.id);
                const status = cell(row, f.status, "status-" + f.status);
                if (f.needsReconciliation) {
                  const badge = document.createElement("span");
                  badge.className = "badge";
                  badge.textContent = "reconcile";
                  status.appendChild(badge);
                }
                cell(row, f.attempt, "num");
                cell(row, amount(f), "amount");
                const a = cell(row, age(f.ageSeconds), "num");
                a.title = f.createdAt;
                cell(row, f.reminderDue ? "due" : "");
                const open = document.createElement("button");
                open.className = "open";
                open.textContent = "Timeline";
                open.addEventListener("click", () => openFlow(f.id));
                cell(row, "").appendChild(open);
                body.appendChild(row);
              }
              document.getElementById("none").hidden = flows.length > 0;
            }
            async function openFlow(id) {
              selected = id;
              document.getElementById("form-result").textContent = "";
              document.getElementById("note").value = "";
              document.getElementById("transfer").value = "";
              await showTimeline(id);
            }
            async function showTimeline(id) {
              const response = await fetch("/operator/api/flows/" + encodeURIComponent(id), { cache: "no-store" });
              const t = await response.json();
              document.getElementById("timeline").hidden = false;
              document.getElementById("timeline-id").textContent = id;
              if (!response.ok) {
                document.getElementById("timeline-error").textContent = text(t.message);
                return;
              }
              const f = t.flow;
              const status = document.getElementById("timeline-status");
              status.textContent = f.status;
              status.className = "status-" + f.status;
              document.getElementById("timeline-error").textContent = f.error ? f.error.code + ": " + f.error.message : "";
              const history = document.querySelector("#history tbody");
              history.replaceChildren();
              for (const h of f.history) {
                const row = document.createElement("tr");
                cell(row, when(h.at));
                cell(row, h.status, "status-" + h.status);
                cell(row, h.reason);
                const r = h.reconciliation;
                cell(row, r ? "by " + r.by + ": " + r.note + (r.shineTransferId ? " (transfer " + r.shineTransferId + ")" : "") : "");
                history.appendChild(row);
              }
              const events = document.querySelector("#events tbody");
              events.replaceChildren();
              for (const e of t.events) {
                const row = document.createElement("tr");
                cell(row, e.sequence, "num");
                cell(row, when(e.time));
                cell(row, text(e.previousStatus) + " \\u2192 " + text(e.status));
                cell(row, e.attempt, "num");
                const reminder = e.reminder && typeof e.reminder === "object" ? e.reminder.due : e.reminder;
                cell(row, reminder ? "due" : "");
                cell(row, e.ended ? "yes" : "");
                events.appendChild(row);
              }
              document.getElementById("events-none").textContent = t.events.length > 0 ? ""
                : t.eventsFileExists ? "No status event of this flow in " + t.eventsFile
                : "No events file yet (" + t.eventsFile + ")";
              document.getElementById("reconcile").hidden = f.status !== "OUTCOME_UNKNOWN";
            }
            document.getElementById("reconcile").addEventListener("submit", async (event) => {
              event.preventDefault();
              const id = selected;
              const body = { outcome: document.getElementById("outcome").value,
                             note: document.getElementById("note").value };
              const transfer = document.getElementById("transfer").value.trim();
              if (transfer) body.shineTransferId = transfer;
              const result = document.getElementById("form-result");
              const response = await fetch("/operator/api/flows/" + encodeURIComponent(id) + "/reconciliation",
                { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
              const answer = await response.json().catch(() => ({}));
              if (response.ok) {
                result.className = "ok";
                result.textContent = "Reconciled: the flow is " + answer.status + ".";
              } else {
                result.className = "error";
                result.textContent = text(answer.detail || answer.message || response.status)
                  + (answer.errors ? " (" + answer.errors.map(e => e.field + " " + e.reason).join("; ") + ")" : "");
              }
              await showTimeline(id);
              await refresh();
            });
            document.getElementById("operator").textContent = OPERATOR;
            refresh();
            setInterval(refresh, 2000);
            </script>
            </body>
            </html>
            """.replace("__OPERATOR__", OperatorServer.OPERATOR.userArn());
}

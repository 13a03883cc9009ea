// The event view (/events/ID): each source with its evidence highlighted by field, the claims,
// the toll history, the merge reasons, the corrections, and a form to correct the event.
// Report text is hostile input: it only ever reaches the page as text nodes.
"use strict";

(function () {
  const {el, getJSON} = window.sitrepShared;
  const FIELDS = ["trigger", "place", "date", "killed", "injured", "actors", "weapon", "target"];
  const CORRECTABLE = {
    fatalities: "killed (number)", injuries: "injured (number)", event_type: "event type",
    sub_event_type: "sub-event type", event_date: "date (YYYY-MM-DD)",
    location: "location (JSON: name, lat, lon, country_code, geo_precision)",
    actor1: "actor 1", actor2: "actor 2", not_event: "not an event (true/false)",
    split: "split a report out (its document id)", merge: "merge into event (its id)",
  };

  function highlighted(text, spans) {
    // Cut the text at every span boundary; each piece is marked with the fields covering it.
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const out = el("div", {class: "report-text"});
    for (let i = 0; i < points.length - 1; i++) {
      const [a, b] = [points[i], points[i + 1]];
      const piece = text.slice(a, b);
      const covering = spans.filter(s => s.start <= a && s.end >= b);
      if (!covering.length) { out.append(document.createTextNode(piece)); continue; }
      // The shortest span covering the piece names its colour (a figure inside an actor's
      // words shows as the figure); every covering field stays in data-fields and the title.
      const field = [...covering].sort((x, y) => (x.end - x.start) - (y.end - y.start))[0].field;
      const known = FIELDS.includes(field) ? field : "other";
      const all = [...new Set(covering.map(s => s.field))];
      out.append(el("mark", {class: "f-" + known, "data-field": field,
                             "data-fields": all.join(" "), title: all.join(", "),
                             text: piece}));
    }
    return out;
  }

  function link(url) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") {
        return el("a", {href: parsed.href, rel: "noopener noreferrer", target: "_blank",
                        text: parsed.href});
      }
    } catch (e) { /* not a URL: shown as text */ }
    return el("span", {text: url});
  }

  function fact(list, label, value, machine) {
    list.append(el("dt", {text: label}));
    const dd = el("dd", {text: value === null || value === undefined || value === "" ? "-"
                                                                                    : String(value)});
    if (machine !== undefined) dd.append(el("span", {class: "machine",
                                                     text: `machine: ${machine ?? "-"}`}));
    list.append(dd);
  }

  function count(c) {
    if (!c || c.best === null || c.best === undefined) return null;
    const q = c.qualifier && !["exact", "none"].includes(c.qualifier) ? ` (${c.qualifier})` : "";
    return `${c.best}${q}`;
  }

  function render(detail) {
    const view = document.getElementById("event-view");
    view.replaceChildren();
    const e = detail.event, m = detail.machine;
    const fixed = e.corrected_fields || {};
    const loc = e.location || {};
    const head = el("section", {id: "event-head"},
      el("a", {href: "/", text: "← map"}),
      el("h1", {text: `${e.sub_event_type || e.event_type || "Event"} · ${loc.name || ""}`}));
    if (e.corrected) head.append(el("span", {class: "badge", text: "corrected"}));
    if (detail.not_event) head.append(" ", el("span", {class: "badge notevent",
                                                        text: "not an event"}));
    const facts = el("dl", {class: "facts"});
    const machineOf = (name, value) => (name in fixed ? value : undefined);
    fact(facts, "Event id", e.event_id);
    fact(facts, "Date", e.event_date, machineOf("event_date", m.event_date));
    fact(facts, "Type", `${e.event_type || "-"} / ${e.sub_event_type || "-"}`,
         machineOf("event_type", m.event_type) ?? machineOf("sub_event_type", m.sub_event_type));
    fact(facts, "Location", [loc.name, loc.admin1, loc.country_code].filter(Boolean).join(", ") +
         (loc.geo_precision >= 2 ? ` (precision ${loc.geo_precision})` : ""),
         machineOf("location", (m.location || {}).name));
    fact(facts, "Actor 1", (e.actor1 || {}).name, machineOf("actor1", (m.actor1 || {}).name));
    fact(facts, "Actor 2", (e.actor2 || {}).name, machineOf("actor2", (m.actor2 || {}).name));
    fact(facts, "Killed", count(e.fatalities), machineOf("fatalities", count(m.fatalities)));
    fact(facts, "Injured", count(e.injuries), machineOf("injuries", count(m.injuries)));
    fact(facts, "Notes", e.notes);
    head.append(facts);
    view.append(head);

    const keys = el("p", {class: "keys"}, "Evidence: ",
                    ...FIELDS.map(f => el("mark", {class: "f-" + f, text: f})));
    const sources = el("section", {id: "sources"}, el("h2", {text: "Sources"}), keys);
    for (const s of detail.sources) {
      const box = el("article", {class: "source", "data-document": s.document_id});
      box.append(el("h3", {text: `${s.source || "unknown outlet"} · ${s.published || "undated"}` +
                                 (s.title ? ` · ${s.title}` : "")}));
      if (s.url) box.append(link(s.url));
      box.append(highlighted(s.text, s.spans));
      sources.append(box);
    }
    view.append(sources);

    const claims = el("section", {id: "claims"}, el("h2", {text: "Claims"}));
    if (!detail.claims.length) claims.append(el("p", {text: "No claims about this event."}));
    const claimRows = el("table");
    for (const c of detail.claims) {
      claimRows.append(el("tr", {}, el("td", {text: c.stance || ""}),
                          el("td", {text: c.claimant || ""}), el("td", {text: c.text || ""}),
                          el("td", {text: c.document_id || ""})));
    }
    claims.append(claimRows);
    view.append(claims);

    const toll = el("section", {id: "toll"}, el("h2", {text: "Toll history"}));
    const tollRows = el("table", {}, el("tr", {}, ...["kind", "published", "figure", "words",
                                                     "report"].map(h => el("th", {text: h}))));
    for (const f of detail.figures) {
      const figure = f.qualifier === "at_least" ? `${f.best} at least`
                   : f.qualifier === "exact" ? String(f.best) : `${f.best} (${f.qualifier})`;
      tollRows.append(el("tr", {}, el("td", {text: f.kind}),
                         el("td", {text: f.published || "undated"}),
                         el("td", {text: figure + (f.update ? " (update)" : "")}),
                         el("td", {text: f.text || ""}), el("td", {text: f.document_id || ""})));
    }
    toll.append(tollRows);
    view.append(toll);

    const reasons = el("section", {id: "reasons"}, el("h2", {text: "Why these reports are merged"}));
    const reasonList = el("ul");
    for (const s of detail.sources) {
      const how = s.how || {};
      const why = how.seed ? "started the event"
        : Object.entries(how).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v)
                                                                              : v}`).join("; ");
      reasonList.append(el("li", {}, el("strong", {text: s.document_id + ": "}), why));
    }
    reasons.append(reasonList);
    view.append(reasons);
    view.append(correctionsSection(detail));
  }

  function correctionsSection(detail) {
    const section = el("section", {id: "corrections"}, el("h2", {text: "Corrections"}));
    const rows = el("table", {}, el("tr", {}, ...["field", "before", "value", "by", "when",
                                                 "note", ""].map(h => el("th", {text: h}))));
    for (const c of detail.corrections) {
      rows.append(el("tr", {class: "correction"},
        el("td", {text: c.field}), el("td", {text: JSON.stringify(c.before)}),
        el("td", {text: JSON.stringify(c.value)}), el("td", {text: c.author}),
        el("td", {text: c.created_at}), el("td", {text: c.note}),
        el("td", {text: c.active ? "" : "superseded"})));
    }
    section.append(rows);
    const select = el("select", {name: "field"},
      ...Object.entries(CORRECTABLE).map(([k, v]) => el("option", {value: k, text: v})));
    const form = el("form", {id: "correct-form"},
      el("label", {text: "Field", for: "c-field"}), select,
      el("label", {text: "New value", for: "c-value"}), el("input", {name: "value", id: "c-value"}),
      el("label", {text: "Note", for: "c-note"}), el("textarea", {name: "note", id: "c-note"}),
      el("label", {text: "Token", for: "c-token"}),
      el("input", {name: "token", id: "c-token", type: "password",
                   value: localStorage.getItem("sitrep-token") || ""}),
      el("span"), el("button", {type: "submit", text: "Save correction"}),
      el("span"), el("p", {id: "correct-status", "aria-live": "polite"}));
    select.id = "c-field";
    form.addEventListener("submit", ev => { ev.preventDefault(); submit(form, detail); });
    section.append(form);
    return section;
  }

  function parseValue(field, raw) {
    if (["fatalities", "injuries"].includes(field)) return Number.parseInt(raw, 10);
    if (field === "not_event") return raw.trim().toLowerCase() !== "false";
    if (field === "location") return JSON.parse(raw);
    if (field === "split") return {document_id: raw.trim()};
    if (field === "merge") return {into: raw.trim()};
    return raw.trim();
  }

  async function submit(form, detail) {
    const status = document.getElementById("correct-status");
    const field = form.elements.field.value;
    let value;
    try { value = parseValue(field, form.elements.value.value); } catch (e) {
      status.className = "error"; status.textContent = "The value is not valid: " + e.message;
      return;
    }
    const token = form.elements.token.value;
    localStorage.setItem("sitrep-token", token);
    const response = await fetch(`/api/events/${encodeURIComponent(detail.event_id)}/corrections`,
      {method: "POST", headers: {"content-type": "application/json",
                                 authorization: "Bearer " + token},
       body: JSON.stringify({field, value, note: form.elements.note.value,
                             expected_version: detail.versions[field] || 0})});
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      status.className = "error";
      status.textContent = `${response.status}: ${body.detail || response.statusText}`;
      return;
    }
    status.className = "ok";
    status.textContent = "Saved.";
    await show(detail.event_id);
    document.getElementById("correct-status").textContent = "Saved.";
  }

  async function show(id) {
    const detail = await getJSON("/api/events/" + encodeURIComponent(id));
    render(detail);
    document.title = `sitrep · ${detail.event_id}`;
    document.body.dataset.ready = "1";
  }

  const match = location.pathname.match(/^\/events\/(.+)$/);
  if (match) {
    document.getElementById("map-view").hidden = true;
    document.getElementById("event-view").hidden = false;
    show(decodeURIComponent(match[1])).catch(e => {
      document.getElementById("event-view").append(el("p", {class: "error", text: e.message}));
    });
  }
})();

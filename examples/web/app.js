// The example page of the minqing WebAssembly binding. Every answer (which
// problems a form has, the signal lights, the compliance figures, whether
// an event fits a request, what escalation is due) comes from the binding,
// that is from the Rust core; this file only renders it.
import init, {
  DuePlanner,
  MinqingError,
  Validator,
  applyRequestEvent,
  complianceSummary,
  escalationsDue,
  newRequestLog,
  requestSignals,
  requestState,
  validateRequestIntake,
  version,
} from "./pkg/index.js";

const T = {
  zh: {
    title: "民情 · 包户干部的一天",
    today: "今天",
    now: "此刻",
    loading: "正在加载 WebAssembly…",
    ready: "已就绪：minqing {v}，全部离线运行于浏览器。",
    morning: "干部的早晨",
    cadre: "干部",
    complianceLine: "“四定三到”完成率（{start} 至 {end}）：{met} / {required} 个户·周期，{rate}",
    noneRequired: "暂无应完成的周期",
    dueTitle: "今日走访清单",
    dueNote: "按“四定三到”排出包联户的下次应访期限；红灯：上一周期未访且本期未访，或诉求逾期；黄灯：{days} 天内到期，或有在办诉求；绿灯：其余。",
    dueCounts: "红灯 {red} 户 · 黄灯 {yellow} 户 · 绿灯 {green} 户",
    deadline: "应访期限",
    nothingDue: "近期无到期事项",
    items: "事项",
    showItems: "{n} 项",
    itemLine: "{rule}：{deadline} 前，还需 {needed} 次（已 {made} 次）",
    more: "再显示 {n} 户（已显示 {shown} / {total} 户）",
    requestLights: "诉求信号灯",
    light: "信号灯",
    household: "户",
    village: "村",
    why: "原因",
    noRequest: "无在办诉求",
    visitForm: "走访登记",
    household_id: "户编号",
    cadre_id: "干部编号",
    at: "时间",
    mode: "方式",
    signed: "户主已签字",
    note: "备注",
    noProblem: "✓ 没有发现问题",
    recordVisit: "登记走访",
    visitRecorded: "已登记走访：{h} {at}",
    intakeForm: "诉求受理",
    request_id: "事项编号",
    category: "类别",
    kind: "性质",
    channel: "渠道",
    summary: "诉求内容",
    raise: "登记诉求",
    raised: "已登记诉求 {id}",
    timelineTitle: "诉求办理时间线",
    request: "事项",
    stateLine: "状态：{stage} · 层级：{level} · 期限：{deadline} · 承办人：{handler}",
    none: "无",
    appendEvent: "追加事件",
    eventType: "事件",
    append: "追加",
    escalationsTitle: "到期升级",
    checkEscalations: "检查此刻应升级的事项",
    noEscalation: "此刻没有应升级的事项",
    appendDue: "追加",
    footer: "示例数据为虚构。所有规则在 Rust 核心中，页面只负责显示。",
  },
  en: {
    title: "minqing · a contact cadre's day",
    today: "Today",
    now: "Now",
    loading: "Loading WebAssembly…",
    ready: "Ready: minqing {v}, running offline in the browser.",
    morning: "A cadre's morning",
    cadre: "Cadre",
    complianceLine: "Four-fixed-three-arrivals compliance ({start} to {end}): {met} / {required} household-periods, {rate}",
    noneRequired: "nothing required yet",
    dueTitle: "Today's visit list",
    dueNote: "Each covered household's next visit deadline under the four-fixed-three-arrivals policy. Red: the last period ended unvisited and this one is not visited yet, or a request is overdue; yellow: due within {days} days, or a request is open; green: the rest.",
    dueCounts: "{red} red · {yellow} yellow · {green} green",
    items: "Items",
    showItems: "{n} items",
    itemLine: "{rule}: by {deadline}, {needed} more contacts ({made} made)",
    more: "Show {n} more ({shown} of {total} households shown)",
    deadline: "Deadline",
    nothingDue: "nothing due soon",
    requestLights: "Request lights",
    light: "Light",
    household: "Household",
    village: "Village",
    why: "Why",
    noRequest: "no open request",
    visitForm: "Record a visit",
    household_id: "Household ID",
    cadre_id: "Cadre ID",
    at: "When",
    mode: "Mode",
    signed: "Signed by the household",
    note: "Note",
    noProblem: "✓ No problem found",
    recordVisit: "Record visit",
    visitRecorded: "Visit recorded: {h} {at}",
    intakeForm: "Request intake",
    request_id: "Request ID",
    category: "Category",
    kind: "Kind",
    channel: "Channel",
    summary: "What is asked",
    raise: "Raise request",
    raised: "Request {id} raised",
    timelineTitle: "Request timeline",
    request: "Request",
    stateLine: "Stage: {stage} · level: {level} · deadline: {deadline} · handler: {handler}",
    none: "none",
    appendEvent: "Append an event",
    eventType: "Event",
    append: "Append",
    escalationsTitle: "Escalations due",
    checkEscalations: "Check what is due now",
    noEscalation: "Nothing is due now",
    appendDue: "Append",
    footer: "The sample data are made up. Every rule lives in the Rust core; this page only shows its answers.",
  },
};

// Chinese names of the core's words, for the selects (display only).
const WORDS = {
  mode: { in_person: "入户", phone: "电话", video: "视频", at_station: "到站" },
  category: {
    infrastructure: "基础设施", household_registration: "户籍", insurance: "社会保险", subsidy: "惠民补贴",
    dispute: "矛盾纠纷", hardship: "困难帮扶", living_environment: "人居环境", petition: "信访",
    public_services: "公共服务", income: "富民增收", other: "其他",
  },
  kind: { request: "诉求", problem: "问题", suggestion: "意见建议" },
  channel: { visit: "入户走访", phone: "电话", hotline: "热线", letter_box: "信箱", walk_in: "来访" },
  track: { on_the_spot: "即办", proxy: "代办", joint: "联动办理", mediation: "调解" },
  level: { cadre: "包户干部", work_team: "驻村工作队", village_committees: "村两委", township: "镇党委政府", county: "县" },
  reason: { beyond_power: "超出职权", overdue: "逾期未办结", not_mediated: "调解不成" },
  outcome: { full: "全部解决", partial: "部分解决" },
  satisfaction: { satisfied: "满意", basically_satisfied: "基本满意", not_satisfied: "不满意" },
  task: { ask: "询问", inspect: "检查", dispatch: "调度" },
  stage: {
    raised: "已登记", open: "办理中", escalated: "已上报", assigned: "已交办", resolved: "已办结待反馈",
    rectifying: "限期整改", settled: "已反馈", closed: "已销号",
  },
  type: {
    raised: "登记", triaged: "分办", handled_on_spot: "现场办理", proxy_started: "开始代办", escalated: "上报",
    assigned: "交办", mediated: "调解成功", not_mediated: "调解不成", explained: "解释说明", resolved: "办结",
    feedback_given: "入户反馈", reopened: "重新打开", closed: "销号", carried_over: "结转", supervised: "督办",
  },
};

// The fields of each event type the form offers (the event's JSON fields).
const EVENT_FIELDS = {
  triaged: [["track", "track"], ["deadline", "text"]],
  handled_on_spot: [["measures", "text"]],
  proxy_started: [["measures", "text"]],
  escalated: [["to", "level"], ["reason", "reason"], ["deadline", "text"], ["note", "text"]],
  assigned: [["handler", "text"], ["deadline", "text"], ["meeting_on", "text"], ["measures", "text"]],
  mediated: [["measures", "text"]],
  not_mediated: [["reason", "text"]],
  explained: [["reason", "text"]],
  resolved: [["outcome", "outcome"], ["measures", "text"]],
  feedback_given: [["satisfaction", "satisfaction"], ["rectify_by", "text"], ["note", "text"]],
  reopened: [["reason", "text"], ["deadline", "text"]],
  closed: [],
  carried_over: [["period", "text"]],
  supervised: [["task", "task"], ["note", "text"]],
};

let lang = "zh";
let doc = null;
// The data set read once for the due lists and for the visit form; made
// again when `doc` changes.
let planner = null;
let validator = null;
const YELLOW_DAYS = 3;

function replan() {
  planner?.free();
  planner = new DuePlanner(doc);
  validator?.free();
  validator = new Validator(doc);
}
const $ = (sel) => document.querySelector(sel);
const t = (key, vars = {}) =>
  (T[lang][key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
const word = (group, w) => (w == null ? T[lang].none : lang === "zh" ? (WORDS[group]?.[w] ?? w) : w.replaceAll("_", " "));
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children.filter((c) => c != null));
  return e;
};
const today = () => $("#today").value.trim();
const now = () => $("#now").value.trim();

function fillSelect(select, group, words) {
  const keep = select.value;
  select.replaceChildren(...words.map((w) => el("option", { value: w, textContent: lang === "zh" ? `${word(group, w)} ${w}` : w.replaceAll("_", " ") })));
  if (keep) select.value = keep;
}

function showError(e) {
  const status = $("#status");
  status.className = "status error";
  if (e instanceof MinqingError) {
    status.textContent = `${e.problems[0].message[lang]} (${e.code})`;
  } else {
    status.textContent = String(e);
  }
}

function translate() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  $("#lang").textContent = lang === "zh" ? "English" : "中文";
  fillSelect($("#v-mode"), "mode", Object.keys(WORDS.mode));
  fillSelect($("#r-category"), "category", Object.keys(WORDS.category));
  fillSelect($("#r-kind"), "kind", Object.keys(WORDS.kind));
  fillSelect($("#r-channel"), "channel", Object.keys(WORDS.channel));
  fillSelect($("#e-type"), "type", Object.keys(EVENT_FIELDS));
  renderEventFields();
}

// ---- a cadre's morning -------------------------------------------------

function renderMorning() {
  const cadre = $("#morning-cadre").value;
  const end = today();
  const start = `${end.slice(0, 4)}-01-01`;
  const box = $("#compliance");
  try {
    const s = complianceSummary(doc, { cadreId: cadre }, start, end);
    const rate = s.rate == null ? t("noneRequired") : `${(s.rate * 100).toFixed(1)}%`;
    box.replaceChildren(
      el("div", { className: "meter" }, el("span", { style: `width:${((s.rate ?? 0) * 100).toFixed(1)}%` })),
      el("p", { textContent: t("complianceLine", { start, end: s.window.end, met: s.met, required: s.required, rate }) }),
    );
  } catch (e) {
    box.replaceChildren(el("p", { className: "problem", textContent: e.problems ? `${e.problems[0].message[lang]} (${e.code})` : String(e) }));
  }
  renderDueList(cadre);
  const body = $("#signals tbody");
  try {
    const rows = requestSignals(doc, cadre, now());
    const households = new Map(doc.households.map((h) => [h.household_id, h]));
    const villages = new Map(doc.units.map((u) => [u.unit_id, u]));
    body.replaceChildren(
      ...rows.map((s) => {
        const h = households.get(s.household_id);
        const v = villages.get(h?.village_id);
        const why = s.reasons.length ? s.reasons.map((r) => r.message[lang]).join("；") : t("noRequest");
        return el(
          "tr",
          { className: `light-${s.light}` },
          el("td", {}, el("span", { className: `dot ${s.light}`, title: s.light })),
          el("td", { textContent: `${s.household_id} ${h?.name ?? ""}` }),
          el("td", { textContent: v?.name ?? h?.village_id ?? "" }),
          el("td", { textContent: why }),
        );
      }),
    );
  } catch (e) {
    body.replaceChildren(el("tr", {}, el("td", { colSpan: 4, className: "problem", textContent: String(e.message) })));
  }
}

// The cadre's due list, kept in WebAssembly as a DuePlan
// (planner.plan): the page reads the counts and a page of households, and
// a household's items when its button is pressed, never the whole list.
// One row per household, worst light first, with the core's reasons in the
// page's language.
let plan = null;
const PAGE = 50;

function renderDueList(cadre) {
  const body = $("#due-households tbody");
  $("#due-list .note").textContent = t("dueNote", { days: YELLOW_DAYS });
  plan?.free();
  plan = null;
  try {
    plan = planner.plan(cadre, today(), { yellowDays: YELLOW_DAYS });
    $("#due-counts").textContent = t("dueCounts", plan.counts());
    body.replaceChildren();
    showMoreDue();
  } catch (e) {
    $("#due-counts").textContent = "";
    $("#due-more").replaceChildren();
    body.replaceChildren(el("tr", {}, el("td", { colSpan: 6, className: "problem", textContent: e.problems ? `${e.problems[0].message[lang]} (${e.code})` : String(e) })));
  }
}

// The next page of households, and a button for the one after it.
function showMoreDue() {
  const body = $("#due-households tbody");
  const households = new Map(doc.households.map((h) => [h.household_id, h]));
  const villages = new Map(doc.units.map((u) => [u.unit_id, u]));
  const shown = body.rows.length;
  body.append(
    ...plan.households(shown, PAGE).map((s) => {
      const h = households.get(s.household_id);
      const v = villages.get(h?.village_id);
      const why = s.reasons.length ? s.reasons.map((r) => r.message[lang]).join(lang === "zh" ? "；" : "; ") : t("nothingDue");
      const items = el("td", { className: "items" });
      if (s.items > 0) {
        items.append(el("button", { type: "button", textContent: t("showItems", { n: s.items }), onclick: () => toggleItems(items, s.household_id) }));
      }
      return el(
        "tr",
        { className: `light-${s.light}` },
        el("td", {}, el("span", { className: `dot ${s.light}`, title: s.light })),
        el("td", { textContent: `${s.household_id} ${h?.name ?? ""}` }),
        el("td", { textContent: v?.name ?? h?.village_id ?? "" }),
        el("td", { textContent: s.deadline ?? "—" }),
        el("td", { textContent: why }),
        items,
      );
    }),
  );
  const count = body.rows.length;
  $("#due-more").replaceChildren(
    count < plan.length
      ? el("button", { type: "button", textContent: t("more", { n: Math.min(PAGE, plan.length - count), shown: count, total: plan.length }), onclick: showMoreDue })
      : "",
  );
}

// A household's items (plan.itemsOf), shown or hidden under its button.
function toggleItems(cell, householdId) {
  const open = cell.querySelector("ul");
  if (open) {
    open.remove();
    return;
  }
  cell.append(
    el(
      "ul",
      {},
      ...plan.itemsOf(householdId).map((i) =>
        el(
          "li",
          { className: `light-${i.light}` },
          el("span", { className: `dot ${i.light}`, title: i.light }),
          " ",
          t("itemLine", { rule: i.rule, deadline: i.deadline, needed: i.contacts_needed, made: i.contacts_made }),
        ),
      ),
    ),
  );
}

// ---- forms that validate as you type -----------------------------------

function showProblems(form, problems, okBox) {
  for (const box of form.querySelectorAll(".problems")) box.replaceChildren();
  for (const input of form.querySelectorAll(".invalid")) input.classList.remove("invalid");
  for (const p of problems) {
    const field = p.location.field;
    const box = form.querySelector(`.problems[data-for="${field}"]`) ?? form.querySelector('.problems[data-for="*"]');
    box.append(el("div", { className: `problem ${p.severity}`, textContent: `${p.message[lang]} (${p.code})` }));
    form.querySelector(`[name="${field}"]`)?.classList.add("invalid");
  }
  okBox.hidden = problems.length > 0;
  form.querySelector("button[type=submit]").disabled = problems.some((p) => p.severity === "error");
}

function visitFromForm() {
  const f = $("#visit-form");
  const v = {
    household_id: f.household_id.value.trim(),
    cadre_id: f.cadre_id.value.trim(),
    at: f.at.value.trim(),
    mode: f.mode.value,
    signed: f.signed.checked,
  };
  if (f.note.value.trim()) v.note = f.note.value.trim();
  return v;
}

function checkVisit() {
  try {
    showProblems($("#visit-form"), validator.visit(visitFromForm(), today()), $("#visit-ok"));
  } catch (e) {
    showError(e);
  }
}

function intakeFromForm() {
  const f = $("#intake-form");
  return {
    request_id: f.request_id.value.trim(),
    at: f.at.value.trim(),
    household_id: f.household_id.value.trim(),
    cadre_id: f.cadre_id.value.trim(),
    category: f.category.value,
    kind: f.kind.value,
    channel: f.channel.value,
    summary: f.summary.value,
  };
}

function checkIntake() {
  try {
    showProblems($("#intake-form"), validateRequestIntake(intakeFromForm(), doc, today()), $("#intake-ok"));
  } catch (e) {
    showError(e);
  }
}

// ---- a request's timeline ----------------------------------------------

function selectedCase() {
  return doc.cases.findIndex((c) => c.request_id === $("#t-request").value);
}

function fillRequests(selected) {
  const sel = $("#t-request");
  sel.replaceChildren(...doc.cases.map((c) => el("option", { value: c.request_id, textContent: c.request_id })));
  if (selected) sel.value = selected;
}

function eventText(e) {
  const rest = Object.entries(e)
    .filter(([k]) => k !== "type")
    .map(([k, v]) => `${k}: ${WORDS[k === "to" ? "level" : k]?.[v] && lang === "zh" ? WORDS[k === "to" ? "level" : k][v] : v}`);
  return `${word("type", e.type)}${rest.length ? " — " + rest.join(", ") : ""}`;
}

function renderTimeline() {
  const i = selectedCase();
  if (i < 0) return;
  const log = doc.cases[i];
  const s = requestState(log);
  $("#t-state").replaceChildren(
    el("p", {
      className: `stage stage-${s.stage}`,
      textContent: t("stateLine", {
        stage: word("stage", s.stage),
        level: word("level", s.level),
        deadline: s.deadline ?? t("none"),
        handler: s.handler ?? t("none"),
      }),
    }),
  );
  $("#t-events").replaceChildren(
    ...log.events.map((entry) =>
      el("li", { className: `event event-${entry.event.type}` }, el("time", { textContent: entry.at.replace("T", " ") }), el("span", { textContent: eventText(entry.event) })),
    ),
  );
  $("#due").replaceChildren();
  $("#e-error").replaceChildren();
}

function renderEventFields() {
  const box = $("#e-fields");
  const type = $("#e-type").value || "triaged";
  const groups = { track: "track", level: "level", reason: "reason", outcome: "outcome", satisfaction: "satisfaction", task: "task" };
  box.replaceChildren(
    ...EVENT_FIELDS[type].map(([name, kind]) => {
      let input;
      if (kind === "text") {
        input = el("input", { name, size: name.includes("deadline") || name === "rectify_by" ? 19 : 14 });
        if (name === "deadline" || name === "rectify_by") input.placeholder = "YYYY-MM-DDTHH:MM:SS";
      } else {
        input = el("select", { name });
        fillSelect(input, groups[kind], Object.keys(WORDS[groups[kind]]));
      }
      return el("label", {}, el("span", { textContent: name }), " ", input);
    }),
  );
}

function append(at, event) {
  const i = selectedCase();
  try {
    const { log } = applyRequestEvent(doc.cases[i], at, event);
    doc.cases[i] = log;
    replan();
    renderTimeline();
    renderMorning();
    return true;
  } catch (e) {
    if (!(e instanceof MinqingError)) throw e;
    $("#e-error").replaceChildren(...e.problems.map((p) => el("div", { className: "problem error", textContent: `${p.message[lang]} (${p.code})` })));
    return false;
  }
}

function eventFromForm() {
  const event = { type: $("#e-type").value };
  for (const input of $("#e-fields").querySelectorAll("[name]")) {
    const v = input.value.trim();
    if (v) event[input.name] = v;
  }
  return event;
}

function checkEscalations() {
  const i = selectedCase();
  const list = $("#due");
  const due = escalationsDue(doc.cases[i], now());
  if (!due.length) {
    list.replaceChildren(el("li", { className: "none", textContent: t("noEscalation") }));
    return;
  }
  list.replaceChildren(
    ...due.map((d) => {
      const button = el("button", { type: "button", textContent: t("appendDue") });
      button.addEventListener("click", () => append(d.at, d.event));
      return el("li", { className: "due" }, el("strong", { textContent: eventText(d.event) }), " ", el("span", { textContent: d.because[lang] }), " ", button);
    }),
  );
}

// ---- start -------------------------------------------------------------

function refreshAll() {
  renderMorning();
  checkVisit();
  checkIntake();
  renderTimeline();
}

async function main() {
  translate();
  await init();
  doc = await (await fetch("sample.json")).json();
  $("#morning-cadre").replaceChildren(...doc.cadres.map((c) => el("option", { value: c.cadre_id, textContent: `${c.cadre_id} ${c.name}` })));
  $("#household-ids").replaceChildren(...doc.households.map((h) => el("option", { value: h.household_id, textContent: h.name ?? "" })));
  $("#cadre-ids").replaceChildren(...doc.cadres.map((c) => el("option", { value: c.cadre_id, textContent: c.name })));
  fillRequests(doc.cases[0]?.request_id);
  replan();

  $("#lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    translate();
    $("#status").textContent = t("ready", { v: version() });
    refreshAll();
  });
  for (const id of ["#today", "#now"]) $(id).addEventListener("input", refreshAll);
  $("#morning-cadre").addEventListener("change", renderMorning);
  $("#visit-form").addEventListener("input", checkVisit);
  $("#visit-form").addEventListener("change", checkVisit);
  $("#intake-form").addEventListener("input", checkIntake);
  $("#intake-form").addEventListener("change", checkIntake);
  $("#visit-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = visitFromForm();
    doc.visits.push(v);
    replan();
    $("#status").textContent = t("visitRecorded", { h: v.household_id, at: v.at });
    refreshAll();
  });
  $("#intake-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const i = intakeFromForm();
    const { request_id, at, ...raised } = i;
    try {
      const { log } = applyRequestEvent(newRequestLog(request_id), at, { type: "raised", ...raised });
      doc.cases.push(log);
      replan();
      fillRequests(request_id);
      // a fresh ID for the next intake (any unused ID would do)
      const used = new Set(doc.cases.map((c) => c.request_id));
      let n = doc.cases.length + 1;
      while (used.has(`R2024-${String(n).padStart(3, "0")}`)) n += 1;
      $("#r-id").value = `R2024-${String(n).padStart(3, "0")}`;
      $("#status").textContent = t("raised", { id: request_id });
      refreshAll();
    } catch (e) {
      showError(e);
    }
  });
  $("#t-request").addEventListener("change", renderTimeline);
  $("#e-type").addEventListener("change", renderEventFields);
  $("#event-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    append($("#e-at").value.trim(), eventFromForm());
  });
  $("#check-escalations").addEventListener("click", checkEscalations);

  $("#status").className = "status";
  $("#status").textContent = t("ready", { v: version() });
  $("#app").hidden = false;
  refreshAll();
}

main().catch(showError);

// A deterministic synthetic data set for the due-list benchmark (bench.html):
// one township, 20 villages, one cadre (C0001) covering every one of
// `households` households (default 6,661), `visits` visits (default 10,000)
// spread over the first half of 2024, no requests. Generated in the
// browser, never committed. Same seed, same data set.
export function benchDataset({ households = 6661, visits = 10000, seed = 20241123 } = {}) {
  let s = seed >>> 0;
  // xorshift32: small, fast, the same in every engine
  const rand = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  const villages = 20;
  const units = [{ unit_id: "T01", kind: "township", name: "样例镇" }];
  for (let v = 1; v <= villages; v += 1) {
    units.push({ unit_id: `V${String(v).padStart(2, "0")}`, kind: "village", parent_id: "T01" });
  }
  const hs = [];
  const assignments = [];
  for (let i = 1; i <= households; i += 1) {
    const id = `H${String(i).padStart(5, "0")}`;
    const h = {
      household_id: id,
      village_id: `V${String(1 + (i % villages)).padStart(2, "0")}`,
      residency: rand() < 0.7 ? "resident" : "away",
    };
    if (rand() < 0.1) h.tags = ["contact_household"];
    hs.push(h);
    assignments.push({ household_id: id, cadre_id: "C0001", from: "2024-01-01" });
  }
  const modes = ["in_person", "in_person", "in_person", "phone", "video", "at_station"];
  const start = Date.UTC(2024, 0, 1);
  const vs = [];
  for (let k = 0; k < visits; k += 1) {
    const h = hs[Math.floor(rand() * households)];
    const day = new Date(start + Math.floor(rand() * 181) * 86400000).toISOString().slice(0, 10);
    const hour = String(8 + Math.floor(rand() * 10)).padStart(2, "0");
    vs.push({ household_id: h.household_id, cadre_id: "C0001", at: `${day}T${hour}:00:00`, mode: modes[Math.floor(rand() * modes.length)] });
  }
  return {
    schema: "minqing/1",
    units,
    households: hs,
    cadres: [{ cadre_id: "C0001", name: "测试干部" }],
    assignments,
    visits: vs,
  };
}

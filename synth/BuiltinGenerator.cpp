// The built-in generator: what it proposes, and the search (cost model
// first, then neighbours of the fastest measured proven schedule).
#include "synth/BuiltinGenerator.h"

#include "synth/RowReduce.h"
#include "synth/Stencil.h"
#include "synth/TensorOps.h"

#include <algorithm>
#include <cmath>

namespace ksynth::synth {

namespace {

const int kVecs[] = {1, 2, 4};
const int kEpts[] = {1, 2, 4, 8};
const int kWgs[] = {0, 64, 128, 256};

template <size_t K> std::vector<int> around(const int (&xs)[K], int x) {
  std::vector<int> r;
  for (size_t i = 0; i < K; ++i)
    if (xs[i] == x) {
      if (i > 0)
        r.push_back(xs[i - 1]);
      if (i + 1 < K)
        r.push_back(xs[i + 1]);
    }
  return r;
}

std::vector<Schedule> neighbours(const Schedule &s) {
  std::vector<Schedule> r;
  for (int v : around(kVecs, s.vec)) {
    Schedule t = s;
    t.vec = v;
    r.push_back(t);
  }
  for (int e : around(kEpts, s.ept)) {
    Schedule t = s;
    t.ept = e;
    if (e == 1)
      t.strided = false;
    r.push_back(t);
  }
  if (s.ept > 1) {
    Schedule t = s;
    t.strided = !s.strided;
    r.push_back(t);
  }
  for (int w : around(kWgs, s.wg)) {
    Schedule t = s;
    t.wg = w;
    r.push_back(t);
  }
  return r;
}

std::vector<Schedule> allSchedules() {
  std::vector<Schedule> r;
  for (int v : kVecs)
    for (int e : kEpts)
      for (int st = 0; st < (e > 1 ? 2 : 1); ++st)
        for (int w : kWgs)
          r.push_back(Schedule{v, e, st == 1, w});
  return r;
}

} // namespace

double BuiltinGenerator::estimateUs(const Schedule &s, double numel,
                                    int tensors, double copyGBps) {
  double gbps = copyGBps > 0 ? copyGBps : 10.0;
  double bytes = 4.0 * numel * tensors;
  double memUs = bytes / (gbps * 1e3);
  // Narrow accesses use the memory system less well; per-item overhead
  // (index arithmetic, bounds checks) falls with more work per item; very
  // few items leave compute units idle.
  double vecFactor = s.vec == 4 ? 1.0 : s.vec == 2 ? 1.1 : 1.25;
  double items = numel / (s.vec * s.ept);
  double itemUs = items * 0.002;
  double idle = items < 4096 ? 1.5 : 1.0;
  double wgFactor = s.wg == 0 ? 1.0 : s.wg == 64 ? 1.05 : 1.02;
  return (memUs * vecFactor + itemUs) * idle * wgFactor;
}

std::vector<Candidate>
BuiltinGenerator::propose(const Problem &p, const std::vector<Outcome> &history,
                          size_t max) {
  (void)history;
  std::vector<Candidate> out;
  if (!planned_) {
    planned_ = true;
    std::string why;
    plan_ = planElementwise(*p.spec, why);
    if (!plan_) {
      // The tensor-op families, each with why it does not apply.
      using Family =
          std::vector<Candidate> (*)(const spec::Spec &, std::string &);
      const std::pair<const char *, Family> families[] = {
          {"a row reduction", rowReduceCandidates},
          {"a matmul (+ elementwise epilogue)", matmulCandidates},
          {"a matmul + softmax", matmulSoftmaxCandidates},
          {"a softmax", softmaxCandidates},
          {"a layer_norm", layerNormCandidates},
          {"an rms_norm", rmsNormCandidates},
          {"a conv2d (+ elementwise epilogue)", conv2dCandidates},
          {"a pooling", poolCandidates}};
      unsupported_ = "not elementwise (" + why + ")";
      for (const auto &[what, family] : families) {
        std::string w;
        pendingOther_ = family(*p.spec, w);
        if (!pendingOther_.empty())
          break;
        unsupported_ += std::string("; not ") + what + " (" + w + ")";
      }
      if (!pendingOther_.empty())
        unsupported_.clear();
    } else {
      auto types = spec::inferTypes(*p.spec, p.spec->shapes.back());
      numel_ = static_cast<double>(types.at(plan_->tensorIns.front()).numel());
      for (const spec::ShapeBinding &b : p.spec->shapes)
        numel_ = std::max(numel_, double(spec::inferTypes(*p.spec, b)
                                             .at(plan_->tensorIns.front())
                                             .numel()));
    }
  }
  if (!plan_) {
    while (!pendingOther_.empty() && out.size() < max) {
      out.push_back(pendingOther_.front());
      pendingOther_.erase(pendingOther_.begin());
    }
    return out;
  }
  int tensors = int(plan_->tensorIns.size() + plan_->spec->outputs.size());
  auto cost = [&](const Schedule &s) {
    return estimateUs(s, numel_, tensors, p.copyGBps);
  };
  auto add = [&](const Schedule &s) {
    if (out.size() >= max || tried_.count(s))
      return;
    tried_.insert(s);
    Candidate c = fusedElementwise(*plan_, s);
    c.params["estimate_us"] = std::round(cost(s) * 10) / 10;
    out.push_back(c);
  };
  if (!naiveDone_ && max > 0) {
    naiveDone_ = true;
    Candidate c = naiveElementwise(*plan_);
    out.push_back(c);
    add(Schedule{}); // one fused work-item per element, no schedule
    // The cost model's two best.
    std::vector<Schedule> all = allSchedules();
    std::stable_sort(all.begin(), all.end(),
                     [&](auto &a, auto &b) { return cost(a) < cost(b); });
    for (size_t i = 0; i < all.size() && out.size() < std::min<size_t>(max, 4);
         ++i)
      add(all[i]);
    return out;
  }
  if (exhaustive_) {
    std::vector<Schedule> all = allSchedules();
    std::stable_sort(all.begin(), all.end(),
                     [&](auto &a, auto &b) { return cost(a) < cost(b); });
    for (const Schedule &s : all)
      add(s);
    return out;
  }
  // Refine around the fastest measured schedules (the cost model's best
  // proven one where nothing is timed yet): untried neighbours, in cost
  // order. Nothing new once the two best have no untried neighbour.
  std::vector<std::pair<double, Schedule>> ranked;
  for (const Schedule &s : tried_) {
    if (failed_.count(s))
      continue;
    auto t = timeUs_.find(s);
    ranked.push_back({t != timeUs_.end() ? t->second : 1e12 + cost(s), s});
  }
  std::sort(ranked.begin(), ranked.end());
  for (size_t r = 0; r < ranked.size() && r < 2 && out.size() < max; ++r) {
    std::vector<Schedule> nb = neighbours(ranked[r].second);
    std::stable_sort(nb.begin(), nb.end(),
                     [&](auto &a, auto &b) { return cost(a) < cost(b); });
    for (const Schedule &s : nb)
      add(s);
  }
  return out;
}

void BuiltinGenerator::observe(const Outcome &o) {
  if (o.cand.baseline && o.cand.kind == "naive")
    naiveDone_ = true; // also for outcomes of an earlier round (--resume)
  if (o.cand.kind != "fused")
    return;
  Schedule s;
  s.vec = o.cand.params.value("vector", 1);
  s.ept = o.cand.params.value("elements_per_item", 1);
  s.strided = o.cand.params.value("order", "") == "grid-stride";
  s.wg = o.cand.params.contains("work_group") &&
                 o.cand.params.at("work_group").is_number()
             ? o.cand.params.at("work_group").get<int>()
             : 0;
  tried_.insert(s);
  if (!o.proved() ||
      (o.timing != "timed" && o.timing != "not-timed" && o.timing != "emitted"))
    failed_.insert(s); // never refined around (its counterexample is in o)
  else if (o.timed())
    timeUs_[s] = o.medianUs;
}

} // namespace ksynth::synth

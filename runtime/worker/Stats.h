// Summary statistics of timing samples: median, mean, min, max, quartiles
// (linear interpolation, as numpy's default), IQR and standard deviation.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ksynth::worker {

inline double quantile(std::vector<double> v, double q) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  size_t i = static_cast<size_t>(pos);
  double frac = pos - static_cast<double>(i);
  if (i + 1 >= v.size())
    return v.back();
  return v[i] + (v[i + 1] - v[i]) * frac;
}

inline nlohmann::json summarize(const std::vector<double> &v) {
  nlohmann::json j;
  double sum = 0, mn = v.empty() ? 0 : v[0], mx = mn;
  for (double x : v) {
    sum += x;
    mn = std::min(mn, x);
    mx = std::max(mx, x);
  }
  double mean = v.empty() ? 0 : sum / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v)
    ss += (x - mean) * (x - mean);
  double q1 = quantile(v, 0.25), q3 = quantile(v, 0.75);
  j["n"] = v.size();
  j["median"] = quantile(v, 0.5);
  j["mean"] = mean;
  j["min"] = mn;
  j["max"] = mx;
  j["q1"] = q1;
  j["q3"] = q3;
  j["iqr"] = q3 - q1;
  j["stddev"] =
      v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
  return j;
}

} // namespace ksynth::worker

#pragma once
// Limited-memory BFGS with a backtracking (Armijo) line search: enough for the smooth, convex
// objectives of the learn module, with no dependency beyond the standard library.

#include <functional>
#include <vector>

namespace clipset::learn_detail {

// Returns f(x) and writes its gradient.
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>& gradient)>;

struct LbfgsResult {
  int iterations = 0;
  bool converged = false;  // the largest gradient entry fell below the tolerance
  double value = 0;
};

// Minimises f from x (updated in place).
LbfgsResult minimize_lbfgs(const Objective& f, std::vector<double>& x, int max_iterations, double tolerance, std::size_t memory = 10);

}  // namespace clipset::learn_detail

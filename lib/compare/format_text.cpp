// The report for a terminal: aligned tables and the findings.

#include "clipset/text.hpp"
#include "internal.hpp"

namespace clipset {

using namespace compare_detail;

std::string compare_to_table(const CompareReport& report) {
  std::string out;
  for (const auto& c : report.comparisons) {
    if (!out.empty()) out += "\n";
    append_aligned_table(summary_table(c), out);
    for (const auto& f : c.fields) {
      out += "\n";
      append_aligned_table(values_table(c, f), out);
    }
    out += "\nfindings:\n";
    if (c.findings.empty()) out += "  none: no field differs notably\n";
    for (const auto& finding : c.findings) out += "  " + terminal_safe(finding) + "\n";
  }
  return out;
}

}  // namespace clipset

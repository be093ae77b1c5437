#include "validate_report.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "clipset/text.hpp"

namespace clipset::app {

namespace {

using Findings = std::vector<Finding>;

const char* check_id(const Finding& f) { return validate_checks()[f.check].id; }

std::string location(const ValidateResult& result, const Finding& f) {
  return f.line == 0 ? result.manifest : result.manifest + ":" + std::to_string(f.line);
}

// Findings name options by their library member; reports spell them as flags.
std::string message_of(const Finding& f) { return spell_flags(f.message); }

std::string subject_and_message(const Finding& f) { return f.subject.empty() ? message_of(f) : f.subject + ": " + message_of(f); }

void write_json(std::ostream& out, const ValidateResult& result, const Findings& shown) {
  for (const auto& f : shown) {
    nlohmann::ordered_json record{{"manifest", result.manifest}};
    record["line"] = f.line == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(f.line);
    record["severity"] = severity_name(f.severity);
    record["check"] = check_id(f);
    record["subject"] = f.subject;
    record["message"] = message_of(f);
    out << record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  }
}

// GitHub workflow commands: data escapes %, CR, LF; properties also ':' and ','.
std::string github_escape(const std::string& text, bool property) {
  std::string out;
  for (const char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

void write_github(std::ostream& out, const ValidateResult& result, const Findings& shown) {
  for (const auto& f : shown) {
    out << "::" << severity_name(f.severity) << " file=" << github_escape(result.manifest, true);
    if (f.line > 0) out << ",line=" << f.line;
    out << ",title=" << github_escape(std::string("clipset validate ") + check_id(f), true)
        << "::" << github_escape(subject_and_message(f), false) << '\n';
  }
}

// Text for XML: markup escaped; control characters and invalid UTF-8 (XML cannot carry them) as '?'.
std::string xml_escape(const std::string& raw) {
  const bool utf8 = is_valid_utf8(raw);
  std::string out;
  for (const char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (c == '\'') out += "&apos;";
    else if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || (!utf8 && u >= 0x80)) out += '?';
    else out += c;
  }
  return out;
}

std::string plural(std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

// One test case per check: failed by its errors, passed (warnings in system-out) or skipped.
// A check fails by all its errors; only the first `shown` findings are listed.
void write_junit(std::ostream& out, const ValidateResult& result, std::size_t shown) {
  const auto& checks = validate_checks();
  std::vector<std::size_t> error_count(checks.size(), 0);
  std::vector<std::string> errors(checks.size()), warnings(checks.size());
  for (std::size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& f = result.findings[i];
    if (f.severity == Severity::error) ++error_count[f.check];
    if (i < shown) (f.severity == Severity::error ? errors : warnings)[f.check] += human_line(result, f) + "\n";
  }
  std::size_t failures = 0, skipped = 0;
  for (std::size_t c = 0; c < checks.size(); ++c) {
    if (!result.enabled[c]) ++skipped;
    else if (error_count[c] > 0) ++failures;
  }
  const std::string counts = " tests=\"" + std::to_string(checks.size()) + "\" failures=\"" + std::to_string(failures) +
                             "\" errors=\"0\" skipped=\"" + std::to_string(skipped) + "\"";
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"clipset validate\"" << counts << ">\n"
      << "  <testsuite name=\"" << xml_escape(result.manifest) << "\"" << counts << ">\n";
  for (std::size_t c = 0; c < checks.size(); ++c) {
    out << "    <testcase classname=\"clipset.validate\" name=\"" << checks[c].id << "\">\n";
    if (!result.enabled[c]) {
      const char* option = needed_option(checks[c].needs);
      out << "      <skipped message=\"" << xml_escape(option ? "not run: needs " + spell_flags(option) : "not run: not selected")
          << "\"/>\n";
    } else if (error_count[c] > 0) {
      out << "      <failure type=\"" << checks[c].id << "\" message=\"" << plural(error_count[c], "error") << "\">"
          << xml_escape(errors[c]) << "</failure>\n";
    }
    if (!warnings[c].empty()) out << "      <system-out>" << xml_escape(warnings[c]) << "</system-out>\n";
    out << "    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace

std::string human_line(const ValidateResult& result, const Finding& f) {
  // Subjects name ids, labels and paths from the data: escaped, as on every line for people.
  return terminal_safe(location(result, f) + ": " + severity_name(f.severity) + "[" + check_id(f) + "] " + subject_and_message(f));
}

void write_findings(std::ostream& out, const ValidateResult& result, const std::string& format, std::size_t max_findings) {
  const std::size_t count = max_findings == 0 ? result.findings.size() : std::min(max_findings, result.findings.size());
  const Findings shown(result.findings.begin(), result.findings.begin() + static_cast<std::ptrdiff_t>(count));
  if (format == "json") write_json(out, result, shown);
  else if (format == "junit") write_junit(out, result, count);
  else if (format == "github") write_github(out, result, shown);
  else {
    for (const auto& f : shown) out << human_line(result, f) << '\n';
  }
}

}  // namespace clipset::app

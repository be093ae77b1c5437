// Credits: every licence that requires attribution, with each recording under it in TASL form
// (title, author, source, licence), one line per recording however many clips were cut from it.
// The audio is not exported; ATTRIBUTION.md goes next to where it was published.

#include <map>
#include <set>
#include <tuple>

#include "clipset/item_keys.hpp"
#include "clipset/licenses.hpp"
#include "internal.hpp"

namespace clipset::detail {

namespace {

namespace fs = std::filesystem;

std::string meta_text(const Item& item, const char* key) {
  const auto it = item.meta.find(key);
  if (it == item.meta.end() || it->is_null()) return "";
  return field_key(*it);
}

// One recording's credit line: "title" by author (source), as the manifest gives them.
struct Credit {
  std::string title, author, source;
  bool operator<(const Credit& other) const {
    return std::tie(title, author, source) < std::tie(other.title, other.author, other.source);
  }
};

std::string markdown_text(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n' || c == '\r') out += ' ';
    else if (c == '*' || c == '_' || c == '[' || c == ']' || c == '`' || c == '\\' || c == '<') out += std::string("\\") + c;
    else out += c;
  }
  return out;
}

std::string credit_line(const Credit& c, const std::string& license) {
  std::string line = "- \"" + markdown_text(c.title) + "\" by " + markdown_text(c.author);
  if (!c.source.empty()) line += ", " + markdown_text(c.source);
  return line + ", licensed under " + license + "\n";
}

// Counts for the closing notes and the warnings.
struct Gaps {
  std::size_t unlicensed = 0, no_author = 0, no_title = 0;
  std::map<std::string, std::size_t> free_of_attribution;  // licence -> recordings (CC0, ...)
};

std::string credits_text(const std::map<std::string, std::set<Credit>>& by_license, const Gaps& gaps) {
  std::string text = "# Attribution\n\nThis dataset holds recordings whose licences require crediting their authors.\n";
  for (const auto& [license, credits] : by_license) {
    text += "\n## " + license_name(license) + " (" + license + ")\n\n" + license_url(license) + "\n\n";
    for (const auto& c : credits) text += credit_line(c, license);
  }
  if (!gaps.free_of_attribution.empty()) {
    text += "\nAlso included, without a requirement to credit:";
    for (const auto& [license, n] : gaps.free_of_attribution) text += " " + std::to_string(n) + " recordings under " + license + ";";
    text.back() = '.';
    text += "\n";
  }
  return text;
}

}  // namespace

void write_attribution(ExportPlan& plan, const ExportOptions& options, const ExportCallbacks& callbacks, ExportSummary& summary) {
  make_folder(options.out_dir);
  ExportSplitSummary figures;
  figures.name = "recordings";
  std::map<std::string, std::set<Credit>> by_license;
  std::set<std::string> recordings;  // source keys credited (or counted) already
  Gaps gaps;
  for (const auto& e : plan.entries) {
    if (e.failed) continue;
    ++figures.items;
    figures.seconds += e.item.duration.value_or(0);
    const std::string recording = e.item.source ? e.item.source->id : e.item.id;
    if (!recordings.insert(recording).second) continue;
    const std::string given = meta_text(e.item, "license");
    if (given.empty()) {
      ++gaps.unlicensed;
      continue;
    }
    const std::string license = read_license(given).id;
    if (!license_requires_attribution(license)) {
      ++gaps.free_of_attribution[license];
      continue;
    }
    Credit c{meta_text(e.item, "title"), meta_text(e.item, "author"), meta_text(e.item, "source_url")};
    if (c.title.empty()) {
      ++gaps.no_title;
      c.title = fs::path(e.item.source ? e.item.source->path : e.item.path.value_or(e.item.id)).filename().string();
    }
    if (c.author.empty()) {
      ++gaps.no_author;
      c.author = "an unknown author";
    }
    by_license[license].insert(c);
  }
  const fs::path file = options.out_dir / "ATTRIBUTION.md";
  count_file(figures, summary, file, write_if_changed(file, credits_text(by_license, gaps)));
  summary.splits.push_back(figures);
  if (!callbacks.warning) return;
  if (gaps.unlicensed > 0) callbacks.warning(std::to_string(gaps.unlicensed) + " recordings have no meta.license: not credited (find them with validate's license check)");
  if (gaps.no_author > 0) callbacks.warning(std::to_string(gaps.no_author) + " credited recordings have no meta.author: credited to an unknown author");
  if (gaps.no_title > 0) callbacks.warning(std::to_string(gaps.no_title) + " credited recordings have no meta.title: named by their file");
}

}  // namespace clipset::detail

// The licence table and the reading of licences as people write them (clipset/licenses.hpp).

#include "clipset/licenses.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "clipset/text.hpp"

namespace clipset {

namespace {

struct KnownLicense {
  const char* id;
  const char* name;
  bool attribution;
};

const std::array<KnownLicense, 24> kLicenses = {{
    {"CC0-1.0", "Creative Commons Zero v1.0 Universal", false},
    {"CC-PDDC", "Creative Commons Public Domain Dedication and Certification", false},
    {"CC-BY-2.0", "Creative Commons Attribution 2.0 Generic", true},
    {"CC-BY-2.5", "Creative Commons Attribution 2.5 Generic", true},
    {"CC-BY-3.0", "Creative Commons Attribution 3.0 Unported", true},
    {"CC-BY-4.0", "Creative Commons Attribution 4.0 International", true},
    {"CC-BY-SA-3.0", "Creative Commons Attribution Share Alike 3.0 Unported", true},
    {"CC-BY-SA-4.0", "Creative Commons Attribution Share Alike 4.0 International", true},
    {"CC-BY-NC-3.0", "Creative Commons Attribution Non Commercial 3.0 Unported", true},
    {"CC-BY-NC-4.0", "Creative Commons Attribution Non Commercial 4.0 International", true},
    {"CC-BY-NC-SA-3.0", "Creative Commons Attribution Non Commercial Share Alike 3.0 Unported", true},
    {"CC-BY-NC-SA-4.0", "Creative Commons Attribution Non Commercial Share Alike 4.0 International", true},
    {"CC-BY-ND-3.0", "Creative Commons Attribution No Derivatives 3.0 Unported", true},
    {"CC-BY-ND-4.0", "Creative Commons Attribution No Derivatives 4.0 International", true},
    {"CC-BY-NC-ND-3.0", "Creative Commons Attribution Non Commercial No Derivatives 3.0 Unported", true},
    {"CC-BY-NC-ND-4.0", "Creative Commons Attribution Non Commercial No Derivatives 4.0 International", true},
    {"CC-SAMPLING-PLUS-1.0", "Creative Commons Sampling Plus 1.0", true},
    {"MIT", "MIT License", true},
    {"Apache-2.0", "Apache License 2.0", true},
    {"BSD-2-Clause", "BSD 2-Clause \"Simplified\" License", true},
    {"BSD-3-Clause", "BSD 3-Clause \"New\" or \"Revised\" License", true},
    {"ODbL-1.0", "Open Data Commons Open Database License v1.0", true},
    {"ODC-By-1.0", "Open Data Commons Attribution License v1.0", true},
    {"PDDL-1.0", "Open Data Commons Public Domain Dedication & License 1.0", false},
}};

const KnownLicense* find_id(std::string_view id) {
  const std::string lower = to_lower(id);
  for (const auto& l : kLicenses) {
    if (to_lower(l.id) == lower) return &l;
  }
  return nullptr;
}

// Lower-case words of the text: separators are spaces, '-', '_', '/', ',' and parentheses.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : to_lower(text)) {
    if (c == ' ' || c == '-' || c == '_' || c == '/' || c == ',' || c == '(' || c == ')' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Words in the canonical spelling: "attribution" -> "by", "creative commons" -> "cc", versions
// "v4" / "4" -> "4.0"; noise words dropped.
std::vector<std::string> canonical_words(std::vector<std::string> words) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string w = words[i];
    if (w == "creative" && i + 1 < words.size() && words[i + 1] == "commons") {
      out.push_back("cc");
      ++i;
      continue;
    }
    if (w == "international" || w == "license" || w == "licence" || w == "generic" || w == "unported") continue;
    if (w == "attribution") w = "by";
    else if (w == "noncommercial" || (w == "non" && i + 1 < words.size() && words[i + 1] == "commercial")) {
      w = "nc";
      if (words[i] == "non") ++i;
    } else if (w == "sharealike" || (w == "share" && i + 1 < words.size() && words[i + 1] == "alike")) {
      w = "sa";
      if (words[i] == "share") ++i;
    } else if (w == "noderivatives" || w == "noderivs" ||
               (w == "no" && i + 1 < words.size() && (words[i + 1] == "derivatives" || words[i + 1] == "derivs"))) {
      w = "nd";
      if (words[i] == "no") ++i;
    } else if (w == "zero") {
      w = "0";
    }
    if (w.size() > 1 && w[0] == 'v' && std::isdigit(static_cast<unsigned char>(w[1]))) w.erase(0, 1);
    if (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) w += ".0";
    out.push_back(w);
  }
  return out;
}

std::string upper(const std::string& text) {
  std::string out = text;
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The public-domain spellings people use, read as CC0-1.0 (the dedication that puts a work in
// the public domain as far as the law allows).
bool is_public_domain(const std::vector<std::string>& words) {
  return words == std::vector<std::string>{"public", "domain"} || words == std::vector<std::string>{"pd"} ||
         words == std::vector<std::string>{"cc0"} || words == std::vector<std::string>{"cc", "0.0"} ||
         words == std::vector<std::string>{"cc0", "1.0"} || words == std::vector<std::string>{"cc", "0.0", "1.0"};
}

}  // namespace

LicenseReading read_license(std::string_view text) {
  LicenseReading r;
  const std::string given(trim(text));
  r.id = given;
  if (const KnownLicense* exact = find_id(given)) {
    r.id = exact->id;
    r.recognised = true;
    r.changed = r.id != given;
    return r;
  }
  auto words = canonical_words(words_of(given));
  if (!words.empty() && words[0] == "by") words.insert(words.begin(), "cc");  // "Attribution 4.0 International"
  if (is_public_domain(words)) {
    r.id = "CC0-1.0";
    if (words.size() == 2 && words[0] == "public") r.note = "public domain read as the CC0 1.0 dedication";
  } else if (!words.empty() && words[0] == "cc") {
    std::string id = "CC";
    bool versioned = false;
    for (std::size_t i = 1; i < words.size(); ++i) {
      versioned = versioned || words[i].find('.') != std::string::npos;
      id += "-" + (words[i].find('.') != std::string::npos ? words[i] : upper(words[i]));
    }
    if (!versioned) {
      id += "-4.0";
      r.note = "no version given: read as 4.0";
    }
    r.id = id;
  } else {
    std::string joined;
    for (const auto& w : words) joined += (joined.empty() ? "" : "-") + w;
    r.id = joined;
  }
  if (const KnownLicense* known = find_id(r.id)) {
    r.id = known->id;
    r.recognised = true;
  } else {
    r.id = given;
    r.note.clear();
  }
  r.changed = r.id != given;
  return r;
}

bool license_requires_attribution(std::string_view spdx_id) {
  const KnownLicense* known = find_id(spdx_id);
  return known == nullptr || known->attribution;
}

std::string license_name(std::string_view spdx_id) {
  const KnownLicense* known = find_id(spdx_id);
  return known ? known->name : std::string(spdx_id);
}

std::string license_url(std::string_view spdx_id) {
  const std::string id(spdx_id);
  if (id == "CC0-1.0") return "https://creativecommons.org/publicdomain/zero/1.0/";
  if (id.rfind("CC-BY", 0) == 0) {
    // CC-BY-NC-SA-4.0 -> https://creativecommons.org/licenses/by-nc-sa/4.0/
    const std::size_t version = id.rfind('-');
    return "https://creativecommons.org/licenses/" + to_lower(id.substr(3, version - 3)) + "/" + id.substr(version + 1) + "/";
  }
  return "https://spdx.org/licenses/" + id + ".html";
}

std::vector<std::string> read_license_list(std::string_view list) {
  std::vector<std::string> ids;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    const std::size_t end = std::min(list.find(',', begin), list.size());
    const std::string_view entry = trim(list.substr(begin, end - begin));
    if (!entry.empty()) ids.push_back(read_license(entry).id);
    begin = end + 1;
  }
  return ids;
}

}  // namespace clipset

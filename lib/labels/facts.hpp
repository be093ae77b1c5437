#pragma once
// Sheet cells that carry annotation metadata (shared by label_text.cpp and sheet.cpp only).

#include <optional>
#include <string>
#include <string_view>

#include "clipset/labels.hpp"

namespace clipset::labels_detail {

// salience, difficulty, annotated_at, notes (a lowercased header name).
bool is_annotation_column(std::string_view lowered);
// "2026-03-01", "2026-03-01T14:05", "2026-03-01 14:05:09+01:00".
bool is_iso8601_time(std::string_view text);
// Sets the field of `facts` the column names from a non-empty, trimmed cell; the reason when the
// cell is not a value of that field (then the field is left as it was).
std::optional<std::string> set_annotation_cell(std::string_view lowered_column, const std::string& cell,
                                               AnnotationFacts& facts);

}  // namespace clipset::labels_detail

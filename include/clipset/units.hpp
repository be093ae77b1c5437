#pragma once
// Units a person writes naturally: "1s", "250ms", "0.5" (seconds); "16k", "44.1k", "16000" (Hz);
// "80,10,10" or "0.8,0.1,0.1" (ratios). Every parser throws clipset::Error (kind usage) whose
// subject is the text given and whose reason says what was expected.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clipset {

// Seconds. Accepts a plain number (seconds) or a number with a unit: ms, s, sec, min, m, h.
// "1:30" (m:ss) and "1:02:03.5" (h:mm:ss) are accepted too. Negative values, NaN, inf are errors.
double parse_duration(std::string_view text);

// Hertz, a positive whole number: "16000", "16k", "44.1k", "22.05kHz", "48000Hz".
long parse_sample_rate(std::string_view text);

// Comma-separated non-negative parts, normalised to sum to 1: "80,10,10" and "0.8,0.1,0.1"
// both give {0.8, 0.1, 0.1}. At least one part; the sum must be positive.
std::vector<double> parse_ratios(std::string_view text);

// A level in decibels: "-60", "-60dB", "-60 dBFS".
double parse_decibels(std::string_view text);

// A closed range "LOW..HIGH" of plain numbers, the unit (if any) once at the end: "-6..6dB",
// "0.9..1.1", "0..20 dB". `unit` is the one unit accepted ("dB", case-insensitive; empty: none).
// A single number is the range of that one value. LOW above HIGH is an error.
struct NumberRange {
  double low = 0;
  double high = 0;
};
NumberRange parse_range(std::string_view text, std::string_view unit);
// A fraction in [0, 1]: "0.5" or "50%".
double parse_fraction(std::string_view text);

// A whole number within [min, max], e.g. for --jobs or --label-depth.
long parse_integer(std::string_view text, long min, long max);

// Bytes, a positive whole number of them: "1000000", "500k", "100M", "1G", "1.5GB", "2GiB", "4096B".
// k, M, G, T are powers of 1000 (kB, MB, ... too); KiB, MiB, GiB, TiB powers of 1024.
std::uint64_t parse_byte_size(std::string_view text);

// Bytes as a person reads them in a summary: "512 B", "1.5 kB", "42.0 MB", "3.20 GB" (powers of 1000).
std::string format_bytes(std::uint64_t bytes);

// Seconds as a person reads them in a summary: "0.25s", "42.0s", "12m 03s", "3h 12m".
std::string format_duration(double seconds);

}  // namespace clipset

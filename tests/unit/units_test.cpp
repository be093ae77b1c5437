#include "clipset/units.hpp"

#include <catch2/catch.hpp>
#include <climits>
#include <limits>
#include <string>

#include "clipset/error.hpp"

using clipset::Error;
using clipset::ErrorKind;

namespace {

// The usage error a parser throws for `text`, checked to name the text as given.
template <class Parse>
Error usage_error(const std::string& text, Parse parse) {
  try {
    parse(text);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(e.subject() == text);
    return e;
  }
  FAIL("no error for \"" << text << "\"");
  throw;  // not reached
}

}  // namespace

TEST_CASE("parse_duration accepts numbers with and without units", "[units]") {
  struct Case {
    const char* text;
    double seconds;
  };
  const auto c = GENERATE(values<Case>({
      {"1", 1},        {"0.5", 0.5},       {".5", 0.5},         {"0", 0},          {"1e3", 1000},
      {"1s", 1},       {"1.5s", 1.5},      {"250ms", 0.25},     {"250 ms", 0.25},  {"250MS", 0.25},
      {"2sec", 2},     {"2 seconds", 2},   {"1 second", 1},     {"3secs", 3},      {"10msec", 0.01},
      {"2m", 120},     {"2min", 120},      {"1.5 minutes", 90}, {"2Min", 120},     {"1h", 3600},
      {"2hr", 7200},   {"1 hour", 3600},   {"0.5h", 1800},      {" 1s ", 1},       {"\t2\n", 2},
      {"1:30", 90},    {"0:05", 5},        {"90:00", 5400},     {"1:02:03.5", 3723.5},
      {"0:00:00", 0},  {"1:59.25", 119.25}, {"100:00:00", 360000},
      {"1m 30s", 90},  {"1h30m", 5400},   {"2h 15m 10s", 8110}, {"1s 500ms", 1.5}, {"12m 03s", 723},
      {"3h 12m", 11520}, {"4.0ms", 0.004},
  }));
  CAPTURE(c.text);
  CHECK(clipset::parse_duration(c.text) == Approx(c.seconds));
}

TEST_CASE("parse_duration rejects bad text with a reason", "[units]") {
  struct Case {
    const char* text;
    const char* reason;
  };
  const char* duration = "expected a duration such as 1s, 250ms or 0.5";
  const char* clock = "expected m:ss or h:mm:ss, such as 1:30 or 1:02:03.5";
  const auto c = GENERATE_COPY(values<Case>({
      {"", duration},          {"   ", duration},       {"s", duration},          {"abc", duration},
      {"1x", duration},        {"1 s s", duration},     {"1s2", duration},        {"1e", duration},
      {"nan", duration},       {"inf", duration},       {"infinity", duration},   {"1e400", duration},
      {"1e306h", duration},    {"30s 1m", duration},    {"1m 1m", duration},      {"1h30", duration},
      {"1m 30", duration},     {"1e306h 1s", duration},    {"+1s", duration},       {"0x10", duration},       {"1,5s", duration},
      {"-1", "duration must not be negative"},          {"-0.5s", "duration must not be negative"},
      {" -2ms", "duration must not be negative"},       {"1m -30s", "duration must not be negative"},
      {"-1:30", "duration must not be negative"},       {"1:60", "minutes and seconds must be below 60"},
      {"1:60:00", "minutes and seconds must be below 60"}, {"1:5", clock},
      {"1:005", clock},        {":30", clock},          {"1:", clock},            {"1:30s", clock},
      {"1:2:3:4", clock},      {"a:30", clock},         {"1:30.", clock},         {"1:30.x", clock},
      {"1.5:30", clock},       {"1: 30", clock},        {"1:30:5", clock},
  }));
  const Error e = usage_error(c.text, [](const std::string& t) { clipset::parse_duration(t); });
  CHECK(e.reason() == c.reason);
}

TEST_CASE("parse_sample_rate accepts hertz and kilohertz", "[units]") {
  struct Case {
    const char* text;
    long hz;
  };
  const auto c = GENERATE(values<Case>({
      {"16000", 16000}, {"16k", 16000},       {"16K", 16000},      {"44.1k", 44100},   {"22.05kHz", 22050},
      {"22.05khz", 22050}, {"48000Hz", 48000}, {"48000 hz", 48000}, {"16 kHz", 16000}, {"8000", 8000},
      {"11.025k", 11025}, {"88.2k", 88200},   {"384k", 384000},    {"100Hz", 100},     {"1hz", 1},
      {" 16k ", 16000},  {"16000.0", 16000},  {"1.6e4", 16000},    {"10000k", 10000000},
  }));
  CAPTURE(c.text);
  CHECK(clipset::parse_sample_rate(c.text) == c.hz);
}

TEST_CASE("parse_sample_rate rejects bad text with a reason", "[units]") {
  struct Case {
    const char* text;
    const char* reason;
  };
  const char* rate = "expected a sample rate such as 16k, 44.1k or 16000";
  const char* whole = "sample rate must be a whole number of hertz";
  const auto c = GENERATE_COPY(values<Case>({
      {"", rate},         {"k", rate},      {"16kk", rate},  {"16 k Hz", rate}, {"16m", rate},
      {"16MHz", rate},    {"fast", rate},   {"nan", rate},   {"inf", rate},     {"16k!", rate},
      {"0", "sample rate must be positive"},  {"0k", "sample rate must be positive"},
      {"-16k", "sample rate must be positive"},
      {"16000.5", whole}, {"44.1001k", whole}, {"0.5Hz", whole}, {"22.0505k", whole},
      {"10000.001k", "sample rate must be at most 10 MHz"}, {"1e12", "sample rate must be at most 10 MHz"},
      {"16", "expected a sample rate such as 16k, 44.1k or 16000 (for 16 hertz write 16Hz)"},
      {"48", "expected a sample rate such as 16k, 44.1k or 16000 (for 48 hertz write 48Hz)"},
  }));
  const Error e = usage_error(c.text, [](const std::string& t) { clipset::parse_sample_rate(t); });
  CHECK(e.reason() == c.reason);
}

TEST_CASE("parse_ratios normalises percentages and fractions alike", "[units]") {
  using V = std::vector<double>;
  struct Case {
    const char* text;
    V ratios;
  };
  const auto c = GENERATE(values<Case>({
      {"80,10,10", V{0.8, 0.1, 0.1}},     {"0.8,0.1,0.1", V{0.8, 0.1, 0.1}},
      {"8,1,1", V{0.8, 0.1, 0.1}},        {" 80 , 10 , 10 ", V{0.8, 0.1, 0.1}},
      {"1", V{1}},                        {"70,30", V{0.7, 0.3}},
      {"100,0,0", V{1, 0, 0}},            {"0,1", V{0, 1}},
      {"1,1,1", V{1.0 / 3, 1.0 / 3, 1.0 / 3}}, {"2.5e1,75", V{0.25, 0.75}},
  }));
  CAPTURE(c.text);
  const V got = clipset::parse_ratios(c.text);
  REQUIRE(got.size() == c.ratios.size());
  double sum = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i] == Approx(c.ratios[i]));
    sum += got[i];
  }
  CHECK(sum == Approx(1.0));
}

TEST_CASE("parse_ratios rejects bad text naming the part", "[units]") {
  struct Case {
    const char* text;
    const char* reason;
  };
  const std::string expected = "expected ratios such as 80,10,10 or 0.8,0.1,0.1";
  const auto c = GENERATE_COPY(values<Case>({
      {"", "expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"  ", "expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"80,,10", "part 2 is empty; expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {",80", "part 1 is empty; expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"80,10,", "part 3 is empty; expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"80,x,10", "part 2 (x) is not a number; expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"80%,20%", "part 1 (80%) is not a number; expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"80;20", "part 1 (80;20) is not a number; expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"1,nan", "part 2 (nan) is not a number; expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"1,inf", "part 2 (inf) is not a number; expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"1e308,1e308", "expected ratios such as 80,10,10 or 0.8,0.1,0.1"},
      {"80,-10,30", "ratios must not be negative"},
      {"0,0,0", "ratios sum to zero"},
      {"0", "ratios sum to zero"},
  }));
  const Error e = usage_error(c.text, [](const std::string& t) { clipset::parse_ratios(t); });
  CHECK(e.reason() == c.reason);
}

TEST_CASE("parse_integer checks form and range", "[units]") {
  CHECK(clipset::parse_integer("4", 1, 64) == 4);
  CHECK(clipset::parse_integer(" 64 ", 1, 64) == 64);
  CHECK(clipset::parse_integer("1", 1, 64) == 1);
  CHECK(clipset::parse_integer("-3", -5, 5) == -3);
  CHECK(clipset::parse_integer("0", 0, LONG_MAX) == 0);
  CHECK(clipset::parse_integer("9223372036854775807", 0, LONG_MAX) == LONG_MAX);

  struct Case {
    const char* text;
    long min, max;
    const char* reason;
  };
  const auto c = GENERATE(values<Case>({
      {"", 1, 64, "expected a whole number from 1 to 64"},
      {"four", 1, 64, "expected a whole number from 1 to 64"},
      {"4.0", 1, 64, "expected a whole number from 1 to 64"},
      {"4x", 1, 64, "expected a whole number from 1 to 64"},
      {"+4", 1, 64, "expected a whole number from 1 to 64"},
      {"1e2", 1, 64, "expected a whole number from 1 to 64"},
      {"0", 1, 64, "expected a whole number from 1 to 64"},
      {"65", 1, 64, "expected a whole number from 1 to 64"},
      {"-1", 0, LONG_MAX, "expected a whole number of at least 0"},
      {"99999999999999999999", 0, LONG_MAX, "expected a whole number of at least 0"},
      {"1", LONG_MIN, 0, "expected a whole number of at most 0"},
      {"x", LONG_MIN, LONG_MAX, "expected a whole number"},
  }));
  const Error e = usage_error(c.text, [&](const std::string& t) { clipset::parse_integer(t, c.min, c.max); });
  CHECK(e.reason() == c.reason);
}

TEST_CASE("parse_integer rejects an empty range as a bug", "[units]") {
  try {
    clipset::parse_integer("1", 5, 1);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::internal);
  }
}

TEST_CASE("format_duration reads like a summary", "[units]") {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    double seconds;
    const char* text;
  };
  const auto c = GENERATE(values<Case>({
      {0, "0.00s"},          {0.25, "0.25s"},      {0.004, "4.0ms"},        {1, "1.00s"},
      {9.994, "9.99s"},      {9.996, "10.0s"},     {42, "42.0s"},           {59.94, "59.9s"},
      {59.96, "1m 00s"},     {60, "1m 00s"},       {723, "12m 03s"},        {3599.4, "59m 59s"},
      {3599.6, "1h 00m"},    {11520, "3h 12m"},    {3600 * 100 + 120, "100h 02m"},
      {-1.5, "-1.50s"},      {kInf, "?"},          {kNaN, "?"},
  }));
  CAPTURE(c.seconds);
  CHECK(clipset::format_duration(c.seconds) == c.text);
}

TEST_CASE("format_duration output parses back to about the same duration", "[units]") {
  for (double s : {0.004, 0.25, 1.0, 42.0, 90.0, 723.0, 11520.0}) {
    CAPTURE(s);
    CHECK(clipset::parse_duration(clipset::format_duration(s)) == Approx(s).epsilon(0.01));
  }
}

TEST_CASE("parse_byte_size reads decimal and binary units", "[units]") {
  CHECK(clipset::parse_byte_size("4096") == 4096);
  CHECK(clipset::parse_byte_size("4096B") == 4096);
  CHECK(clipset::parse_byte_size("500k") == 500000);
  CHECK(clipset::parse_byte_size("100M") == 100000000);
  CHECK(clipset::parse_byte_size("1.5GB") == 1500000000);
  CHECK(clipset::parse_byte_size("2GiB") == 2147483648ULL);
  CHECK(clipset::parse_byte_size(" 1 g ") == 1000000000);
  for (const char* bad : {"", "0", "-1M", "1X", "M", "1e30", "nan"}) {
    INFO(bad);
    CHECK_THROWS_AS(clipset::parse_byte_size(bad), clipset::Error);
  }
}

TEST_CASE("format_bytes rounds to three figures", "[units]") {
  CHECK(clipset::format_bytes(512) == "512 B");
  CHECK(clipset::format_bytes(1500) == "1.50 kB");
  CHECK(clipset::format_bytes(42000000) == "42.0 MB");
  CHECK(clipset::format_bytes(999960) == "1.00 MB");
}

TEST_CASE("parse_range reads LOW..HIGH with the unit once at the end", "[units]") {
  using clipset::parse_range;
  const auto gain = parse_range("-6..6dB", "dB");
  CHECK(gain.low == -6);
  CHECK(gain.high == 6);
  const auto snr = parse_range(" 0 .. 20 dB ", "dB");
  CHECK(snr.low == 0);
  CHECK(snr.high == 20);
  const auto speed = parse_range("0.9..1.1", "");
  CHECK(speed.low == 0.9);
  CHECK(speed.high == 1.1);
  const auto one = parse_range("3dB", "dB");
  CHECK(one.low == 3);
  CHECK(one.high == 3);
  for (const char* bad : {"", "..", "1..", "..2", "a..b", "1..2..3", "1..2x", "1..2dB"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_range(bad, ""), clipset::Error);
  }
  try {
    parse_range("20..0dB", "dB");
    FAIL("a reversed range was taken");
  } catch (const clipset::Error& e) {
    CHECK(e.kind() == clipset::ErrorKind::usage);
    CHECK(e.reason() == "the range is reversed (its low end is above its high end)");
  }
}

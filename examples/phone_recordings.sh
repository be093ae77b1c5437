#!/usr/bin/env bash
# Turns two of the generated WAVs into the formats phones write, as a phone would have saved
# them, with the tags phones add: an Android recorder's M4A/AAC (maker, model, time, place) and
# a call recorder's 3GP/AMR-NB. clipset reads both through FFmpeg.
# Skipped, with a note, when ffmpeg (or sox's AMR-NB encoder, for the 3GP) is not installed.
set -euo pipefail

lake=${1:?usage: phone_recordings.sh LAKE}
say() { echo "phone_recordings: $*" >&2; }

if ! command -v ffmpeg >/dev/null 2>&1; then
  say "ffmpeg not found: the lake keeps its WAVs (scripts/install-deps.sh installs ffmpeg)"
  exit 0
fi
quiet=(-nostdin -hide_banner -loglevel error -y)

# dog/pixel7_003.wav (no sheet row) -> dog/pixel7_003.m4a, AAC 96 kbit/s, Pixel 7 tags.
src="$lake/dog/pixel7_003.wav"
ffmpeg "${quiet[@]}" -i "$src" -c:a aac -b:a 96k \
  -metadata creation_time=2024-05-03T07:41:12Z \
  -metadata com.android.manufacturer=Google -metadata com.android.model="Pixel 7" \
  -metadata location=+48.8566+002.3522/ -movflags use_metadata_tags \
  "$lake/dog/pixel7_003.m4a"
rm -f -- "$src"
say "dog/pixel7_003.wav -> dog/pixel7_003.m4a (AAC in MP4, with the phone's time, model and GPS position)"

# bird/pixel7_002.wav (no sheet row) -> bird/pixel7_002.3gp, AMR-NB 12.2 kbit/s at 8 kHz.
src="$lake/bird/pixel7_002.wav"
if command -v sox >/dev/null 2>&1 && sox -h 2>/dev/null | grep -q 'amr-nb'; then
  amr=$(mktemp --suffix=.amr)
  trap 'rm -f -- "$amr"' EXIT
  # -R: sox dithers with a random seed otherwise, and the example would differ from run to run
  sox -R "$src" -r 8000 -t amr-nb -C 7 "$amr" 2>/dev/null
  ffmpeg "${quiet[@]}" -i "$amr" -c:a copy -metadata creation_time=2024-05-04T18:02:40Z "$lake/bird/pixel7_002.3gp"
  rm -f -- "$src"
  say "bird/pixel7_002.wav -> bird/pixel7_002.3gp (AMR-NB in 3GP, 8 kHz)"
else
  say "sox with AMR-NB not found: bird/pixel7_002.wav stays a WAV"
fi

#pragma once
// AMR-NB and AMR-WB decoded by opencore-amr (as sox does), from the packets FFmpeg demuxes out of
// a 3GP or raw .amr file (not part of the public API). FFmpeg's own AMR decoders refuse the
// comfort-noise (SID) and NO_DATA frames an encoder writes with DTX during pauses in speech.

#include <cstdint>
#include <memory>
#include <string>

#include "decoder.hpp"
#include "ffmpeg_input.hpp"

namespace clipset::detail::amr {

// True for AV_CODEC_ID_AMR_NB and AV_CODEC_ID_AMR_WB.
bool decodes(AVCodecID codec);

// Frames the AMR frames of one packet decode to (storage format: each frame a ToC byte whose
// mode gives its size; a packet may hold several): 160 each for AMR-NB, 320 for AMR-WB, SID
// and NO_DATA frames included. A frame cut short at the end of the packet counts too: the
// decoder stops before it, so a file cut inside a frame shows as "truncated (N of M frames decode)".
std::int64_t packet_frames(AVCodecID codec, const std::uint8_t* data, int size);

// A decoder that delivers exactly `frames` frames (what the demux pass counted with
// packet_frames and the container's trimming rules). Decodes the first packet at once, so a
// header followed by garbage is refused here. Throws clipset::Error (data).
std::unique_ptr<AudioDecoder> open_decoder(ff::Input input, std::int64_t frames, std::string path);

}  // namespace clipset::detail::amr

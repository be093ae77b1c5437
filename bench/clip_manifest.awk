# A generated manifest of clips, as `segment` writes them: awk -v n=ITEMS -v groups=G -v classes=C
# -f bench/clip_manifest.awk. The clips of a recording come back to back. Recording lengths vary
# (exponential: a few recordings are large), class frequencies are skewed (the rarest about a
# third as common as the most common), one recording in ten also carries a second class on some
# of its clips (multi-label), 50 recorders of 5 device models. Seeded: the same file every time.
# Used by bench/split.sh and bench/stats.sh.
function hex8() { return sprintf("%08x", int(rand() * 4294967295)) }
BEGIN {
  srand(20240601)
  split("pixel-7 iphone-13 zoom-h5 galaxy-s21 tascam-dr40", device, " ")
  split("CC0-1.0 CC-BY-4.0 CC-BY-SA-4.0", license, " ")
  total_w = 0
  for (c = 1; c <= classes; c++) { w[c] = 1 / (1 + 0.1 * (c - 1)); total_w += w[c] }
  sum = 0
  for (g = 0; g < groups; g++) { e[g] = -log(1 - rand()) + 0.05; sum += e[g] }
  left = n
  for (g = 0; g < groups; g++) {
    size[g] = int(e[g] * n / sum)
    if (size[g] < 1) size[g] = 1
    left -= size[g]
  }
  for (g = 0; left > 0; g = (g + 1) % groups) { size[g]++; left-- }
  for (g = 0; left < 0; g = (g + 1) % groups) if (size[g] > 1) { size[g]--; left++ }
  for (g = 0; g < groups; g++) {
    r = rand() * total_w
    for (c = 1; c < classes && r > w[c]; c++) r -= w[c]
    second = (rand() < 0.1) ? (c % classes) + 1 : 0
    rec = sprintf("rec%05d", g)
    recorder = g % 50
    dev = device[recorder % 5 + 1]
    lic = license[g % 3 + 1]
    date = sprintf("2026-%02d-%02dT%02d:%02d:00Z", g % 12 + 1, g % 28 + 1, g % 24, g % 60)
    for (k = 0; k < size[g]; k++) {
      labels = "\"class_" c "\""
      if (second && rand() < 0.3) labels = labels ",\"class_" second "\""
      printf "{\"id\":\"class_%d__%s_%05d.wav\",\"path\":\"clips/class_%d/%s_%05d.wav\",\"sha256\":\"%s%s%s%s%s%s%s%s\",\"format\":\"wav\",\"subtype\":\"pcm16\",\"sample_rate\":16000,\"channels\":1,\"frames\":16000,\"duration\":1.0,\"labels\":[%s],\"label_source\":\"folder\",\"group\":\"%s\",\"source\":{\"id\":\"class_%d__%s.wav\",\"path\":\"datalake/class_%d/%s.wav\",\"start\":%.1f,\"duration\":1.0},\"meta\":{\"recorder\":\"%s-%02d\",\"device\":\"%s\",\"license\":\"%s\",\"recorded_at\":\"%s\"},\"manifest_version\":1}\n",
        c, rec, k, c, rec, k, hex8(), hex8(), hex8(), hex8(), hex8(), hex8(), hex8(), hex8(),
        labels, rec, c, rec, c, rec, k * 0.5, dev, recorder, dev, lic, date
    }
  }
}

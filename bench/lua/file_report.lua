-- POST /api/v1/reports as a guest, JSON, every body unique (tag + thread + counter), so the
-- duplicate check and the rollups see distinct reports, as real traffic would.
-- Env: BENCH_TAG (run tag), BENCH_PATH (default /api/v1/reports).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

local tag = os.getenv("BENCH_TAG") or "x"
local path = os.getenv("BENCH_PATH") or "/api/v1/reports"
local regions = {"34.04", "32.73", "35.78", "31.74", "33.74", "51.71", "12.71", "73.71"}
local topics = {
  "Jalan berlubang di depan pasar sudah tiga bulan tidak diperbaiki dan membahayakan pengendara motor",
  "Lampu penerangan jalan mati sejak minggu lalu sehingga gang kami gelap dan rawan pencurian",
  "Bantuan sosial PKH keluarga kami belum cair padahal nama sudah terdaftar di DTKS",
  "Listrik padam berulang kali setiap malam tanpa pemberitahuan dari petugas PLN setempat",
  "Antrean pelayanan BPJS Kesehatan di puskesmas sangat panjang dan petugas kurang ramah",
  "Sampah menumpuk di tempat pembuangan sementara dan tidak diangkut lebih dari seminggu",
}

function init(args)
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  local n = tid * 1000003 + sent
  local body = string.format(
    '{"title": "Laporan %s-%d-%d", "body": "%s. Nomor pantau %s-%d-%d.", "region": "%s", ' ..
    '"reporter_name": "Warga Uji %d", "reporter_email": "warga%s%d@example.invalid"}',
    tag, tid, sent, topics[(n % #topics) + 1], tag, tid, sent, regions[(n % #regions) + 1],
    sent, tag, n)
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  count_status(status)
end

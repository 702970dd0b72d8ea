/*
 * beacon_intake: the DuckDB extension with intake's per-row hot spots, each an exact equivalent of SQL that
 * Beacon also keeps (and uses where this library was not built):
 *
 *   beacon_hmac_sha256(key BLOB, message VARCHAR) -> VARCHAR   HMAC-SHA-256 (RFC 2104), 64 lower-case hex digits
 *   beacon_hmac_implementation() -> VARCHAR                    'sha-ni' or 'portable', for logs and tests
 *   beacon_parse_decimal_<s>(text) -> DECIMAL(18, s)           -?[0-9]{1,18-s}(\.[0-9]{1,s})?, else NULL; s = 0..17
 *   beacon_parse_integer(text) -> BIGINT                       -?[0-9]{1,18}, else NULL
 *   beacon_parse_date(text) -> DATE                            a real date written YYYY-MM-DD, else NULL
 *   beacon_is_resident_id(text) -> BOOLEAN                     format, birth date and check digit
 *   beacon_is_credit_code(text) -> BOOLEAN                     format and check character (GB 32100-2015)
 *   beacon_is_identifier(text) -> BOOLEAN                      [A-Za-z0-9_.:-]+, the contract's identifiers
 *
 * DuckDB's sha256() is portable software SHA-256 and HMAC built from it hashes four blocks per identifier; here the
 * key's inner and outer blocks are hashed once per key, so an identifier costs two blocks, and on CPUs with the SHA
 * extensions (SHA-NI) each block takes a few dozen nanoseconds. The parsers check a value's exact text and parse it
 * in one pass, where SQL needs a regular expression beside DuckDB's (lenient) cast; the validators replace regular
 * expressions and long arithmetic expressions that DuckDB evaluates vector by vector. NULL in gives NULL out.
 *
 * It uses DuckDB's stable C API by linking the libduckdb.so that @duckdb/node-bindings ships, so it declares the
 * few types and functions it calls itself instead of needing DuckDB's headers.
 */
#include <cpuid.h>
#include <immintrin.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The part of DuckDB's C API used here (duckdb.h, stable since v1.1). ---- */
typedef uint64_t idx_t;
typedef enum { DuckDBSuccess = 0, DuckDBError = 1 } duckdb_state;
typedef enum {
  DUCKDB_TYPE_INVALID = 0,
  DUCKDB_TYPE_BOOLEAN = 1,
  DUCKDB_TYPE_BIGINT = 5,
  DUCKDB_TYPE_DATE = 13,
  DUCKDB_TYPE_VARCHAR = 17,
  DUCKDB_TYPE_BLOB = 18
} duckdb_type;
typedef struct _duckdb_database { void *internal_ptr; } *duckdb_database;
typedef struct _duckdb_connection { void *internal_ptr; } *duckdb_connection;
typedef struct _duckdb_logical_type { void *internal_ptr; } *duckdb_logical_type;
typedef struct _duckdb_scalar_function { void *internal_ptr; } *duckdb_scalar_function;
typedef struct _duckdb_function_info { void *internal_ptr; } *duckdb_function_info;
typedef struct _duckdb_data_chunk { void *internal_ptr; } *duckdb_data_chunk;
typedef struct _duckdb_vector { void *internal_ptr; } *duckdb_vector;
typedef struct _duckdb_extension_info { void *internal_ptr; } *duckdb_extension_info;
typedef struct {
  union {
    struct { uint32_t length; char prefix[4]; char *ptr; } pointer;
    struct { uint32_t length; char inlined[12]; } inlined;
  } value;
} duckdb_string_t;
typedef void (*duckdb_scalar_function_t)(duckdb_function_info, duckdb_data_chunk, duckdb_vector);
struct duckdb_extension_access {
  void (*set_error)(duckdb_extension_info info, const char *error);
  duckdb_database *(*get_database)(duckdb_extension_info info);
  const void *(*get_api)(duckdb_extension_info info, const char *version);
};

duckdb_state duckdb_connect(duckdb_database database, duckdb_connection *out);
void duckdb_disconnect(duckdb_connection *connection);
duckdb_logical_type duckdb_create_logical_type(duckdb_type type);
duckdb_logical_type duckdb_create_decimal_type(uint8_t width, uint8_t scale);
void duckdb_destroy_logical_type(duckdb_logical_type *type);
duckdb_scalar_function duckdb_create_scalar_function(void);
void duckdb_destroy_scalar_function(duckdb_scalar_function *function);
void duckdb_scalar_function_set_name(duckdb_scalar_function function, const char *name);
void duckdb_scalar_function_add_parameter(duckdb_scalar_function function, duckdb_logical_type type);
void duckdb_scalar_function_set_return_type(duckdb_scalar_function function, duckdb_logical_type type);
void duckdb_scalar_function_set_function(duckdb_scalar_function function, duckdb_scalar_function_t callback);
void duckdb_scalar_function_set_extra_info(duckdb_scalar_function function, void *extra, void (*destroy)(void *));
void *duckdb_scalar_function_get_extra_info(duckdb_function_info info);
duckdb_state duckdb_register_scalar_function(duckdb_connection con, duckdb_scalar_function function);
idx_t duckdb_data_chunk_get_size(duckdb_data_chunk chunk);
duckdb_vector duckdb_data_chunk_get_vector(duckdb_data_chunk chunk, idx_t column);
void *duckdb_vector_get_data(duckdb_vector vector);
uint64_t *duckdb_vector_get_validity(duckdb_vector vector);
void duckdb_vector_ensure_validity_writable(duckdb_vector vector);
void duckdb_vector_assign_string_element_len(duckdb_vector vector, idx_t index, const char *str, idx_t length);

/* ---- SHA-256 (FIPS 180-4) compression: SHA-NI where the CPU has it, portable C otherwise. ---- */
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
static const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress_portable(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
           block[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

/* The SHA-NI instructions keep the state as ABEF and CDGH and take the message schedule four words at a time. */
__attribute__((target("sha,sse4.1,ssse3"))) static void compress_shani(uint32_t state[8], const uint8_t block[64]) {
  const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
  __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
  __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
  __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
  __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);
  __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);
  const __m128i abef_start = abef, cdgh_start = cdgh;
  __m128i w[4];
  for (int g = 0; g < 16; g++) {
    if (g < 4) {
      w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * g)), byteswap);
    } else {
      /* w[g%4] holds words 4(g-4)..; with the three groups after it this gives words 4g..4g+3. */
      __m128i next = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
      next = _mm_add_epi32(next, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
      w[g & 3] = _mm_sha256msg2_epu32(next, w[(g + 3) & 3]);
    }
    __m128i msg = _mm_add_epi32(w[g & 3], _mm_loadu_si128((const __m128i *)&K[4 * g]));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, msg);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(msg, 0x0E));
  }
  abef = _mm_add_epi32(abef, abef_start);
  cdgh = _mm_add_epi32(cdgh, cdgh_start);
  __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

static void (*compress)(uint32_t state[8], const uint8_t block[64]) = compress_portable;

/* Finishes a hash whose state has absorbed `done` bytes (a multiple of 64), with the message tail `m`. */
static void finish(uint32_t state[8], uint64_t done, const uint8_t *m, size_t length, uint8_t digest[32]) {
  uint64_t bits = (done + length) * 8;
  while (length >= 64) {
    compress(state, m);
    m += 64;
    length -= 64;
  }
  uint8_t block[128] = {0};
  memcpy(block, m, length);
  block[length] = 0x80;
  size_t blocks = length < 56 ? 1 : 2;
  for (int i = 0; i < 8; i++) block[64 * blocks - 1 - i] = (uint8_t)(bits >> (8 * i));
  compress(state, block);
  if (blocks == 2) compress(state, block + 64);
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = (uint8_t)(state[i] >> 24);
    digest[4 * i + 1] = (uint8_t)(state[i] >> 16);
    digest[4 * i + 2] = (uint8_t)(state[i] >> 8);
    digest[4 * i + 3] = (uint8_t)state[i];
  }
}

/* The key's padded blocks hashed once (RFC 2104): every message then costs its own blocks plus one. */
typedef struct {
  uint8_t key[64];
  size_t key_length;
  uint32_t inner[8];
  uint32_t outer[8];
} hmac_key;

static void hmac_prepare(hmac_key *k, const uint8_t *key, size_t length) {
  uint8_t block[64] = {0};
  if (length > 64) {
    uint32_t state[8];
    memcpy(state, IV, sizeof state);
    finish(state, 0, key, length, block); /* longer keys are hashed first (RFC 2104, section 2) */
  } else {
    memcpy(block, key, length);
  }
  uint8_t pad[64];
  for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
  memcpy(k->inner, IV, sizeof IV);
  compress(k->inner, pad);
  for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
  memcpy(k->outer, IV, sizeof IV);
  compress(k->outer, pad);
  k->key_length = length <= 64 ? length : 64;
  memcpy(k->key, key, k->key_length);
}

static void hmac_hex(const hmac_key *k, const uint8_t *m, size_t length, char hex[64]) {
  static const char digits[] = "0123456789abcdef";
  uint32_t state[8];
  uint8_t inner[32], digest[32];
  memcpy(state, k->inner, sizeof state);
  finish(state, 64, m, length, inner);
  memcpy(state, k->outer, sizeof state);
  finish(state, 64, inner, 32, digest);
  for (int i = 0; i < 32; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
}

static inline const uint8_t *string_data(duckdb_string_t *s) {
  return (const uint8_t *)(s->value.inlined.length <= 12 ? s->value.inlined.inlined : s->value.pointer.ptr);
}

static inline bool row_valid(const uint64_t *validity, idx_t row) {
  return !validity || (validity[row / 64] >> (row % 64)) & 1;
}

static void set_null(duckdb_vector vector, idx_t row) {
  duckdb_vector_ensure_validity_writable(vector);
  uint64_t *validity = duckdb_vector_get_validity(vector);
  validity[row / 64] &= ~((uint64_t)1 << (row % 64));
}

/* NULL key or message gives NULL. Keys longer than 64 bytes are re-prepared for each row: intake never uses one. */
static void hmac_sha256_function(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  (void)info;
  idx_t rows = duckdb_data_chunk_get_size(input);
  duckdb_vector keys = duckdb_data_chunk_get_vector(input, 0);
  duckdb_vector messages = duckdb_data_chunk_get_vector(input, 1);
  duckdb_string_t *key_data = duckdb_vector_get_data(keys);
  duckdb_string_t *message_data = duckdb_vector_get_data(messages);
  uint64_t *key_validity = duckdb_vector_get_validity(keys);
  uint64_t *message_validity = duckdb_vector_get_validity(messages);
  hmac_key key;
  bool prepared = false;
  char hex[64];
  for (idx_t row = 0; row < rows; row++) {
    if (!row_valid(key_validity, row) || !row_valid(message_validity, row)) {
      set_null(output, row);
      continue;
    }
    const uint8_t *key_bytes = string_data(&key_data[row]);
    uint32_t key_length = key_data[row].value.inlined.length;
    if (!prepared || key_length > 64 || key_length != key.key_length || memcmp(key_bytes, key.key, key_length)) {
      hmac_prepare(&key, key_bytes, key_length);
      prepared = key_length <= 64;
    }
    hmac_hex(&key, string_data(&message_data[row]), message_data[row].value.inlined.length, hex);
    duckdb_vector_assign_string_element_len(output, row, hex, 64);
  }
}

static void implementation_function(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  (void)info;
  const char *name = compress == compress_shani ? "sha-ni" : "portable";
  for (idx_t row = 0; row < duckdb_data_chunk_get_size(input); row++)
    duckdb_vector_assign_string_element_len(output, row, name, strlen(name));
}

static bool cpu_has_sha(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  bool sha = b & (1u << 29);
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  return sha && (c & (1u << 19)) && (c & (1u << 9)); /* SSE4.1 and SSSE3 */
}

/* ---- Validators: each TRUE exactly when the SQL form in checks.ts / identifiers.ts finds nothing wrong. ---- */

static inline bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/*
 * -?[0-9]{1,18-scale}(\.[0-9]{1,scale})? (no point when scale is 0) as an integer in units of 10^-scale: at most 18
 * digits in all, so it fits in 64 bits. The SQL form is a regular expression beside TRY_CAST, which is lenient.
 */
static bool parse_decimal(const uint8_t *s, size_t n, int scale, int64_t *value) {
  size_t i = 0;
  bool negative = n > 0 && s[0] == '-';
  if (negative) i++;
  int64_t v = 0;
  size_t start = i;
  while (i < n && is_digit(s[i])) v = v * 10 + (s[i++] - '0');
  size_t whole = i - start;
  if (whole < 1 || whole > (size_t)(18 - scale)) return false;
  int fraction = 0;
  if (i < n) {
    if (scale == 0 || s[i] != '.') return false;
    start = ++i;
    while (i < n && is_digit(s[i])) v = v * 10 + (s[i++] - '0');
    fraction = (int)(i - start);
    if (i != n || fraction < 1 || fraction > scale) return false;
  }
  for (; fraction < scale; fraction++) v *= 10;
  *value = negative ? -v : v;
  return true;
}

static bool is_leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static bool real_date(int y, int m, int d) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= days[m - 1] + (m == 2 && is_leap(y));
}

static int digits_value(const uint8_t *s, int count) {
  int v = 0;
  for (int i = 0; i < count; i++) v = v * 10 + (s[i] - '0');
  return v;
}

/* Days from 1970-01-01 in the proleptic Gregorian calendar, as DuckDB counts them (H. Hinnant's days_from_civil). */
static int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/*
 * YYYY-MM-DD of a real date from 0001-01-01 on: exactly the texts that DuckDB's date cast parses and writes back
 * unchanged, which is the SQL form of the check.
 */
static bool parse_date(const uint8_t *s, size_t n, int32_t *days) {
  if (n != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !is_digit(s[i])) return false;
  int y = digits_value(s, 4), m = digits_value(s + 5, 2), d = digits_value(s + 8, 2);
  if (y < 1 || !real_date(y, m, d)) return false;
  *days = days_from_civil(y, m, d);
  return true;
}

/* 17 digits and a check character (0-9 or X), a birth date from 1800 on in digits 7-14, ISO 7064 MOD 11-2. */
static bool is_resident_id(const uint8_t *s, size_t n) {
  static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  if (n != 18) return false;
  int sum = 0;
  for (int i = 0; i < 17; i++) {
    if (!is_digit(s[i])) return false;
    sum += (s[i] - '0') * weights[i];
  }
  if (!is_digit(s[17]) && s[17] != 'X') return false;
  int y = digits_value(s + 6, 4);
  if (y < 1800 || !real_date(y, digits_value(s + 10, 2), digits_value(s + 12, 2))) return false;
  return "10X98765432"[sum % 11] == s[17];
}

/* GB 32100-2015: [0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}, the last a check character. */
static bool is_credit_code(const uint8_t *s, size_t n) {
  static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  if (n != 18) return false;
  int sum = 0, value[18];
  for (int i = 0; i < 18; i++) {
    const char *at = s[i] ? memchr(alphabet, s[i], 31) : NULL;
    if (!at || (i >= 2 && i < 8 && !is_digit(s[i]))) return false;
    value[i] = (int)(at - alphabet);
    if (i < 17) sum += value[i] * weights[i];
  }
  return value[17] == (31 - sum % 31) % 31;
}

/* [A-Za-z0-9_.:-]+ */
static bool is_identifier(const uint8_t *s, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = s[i];
    if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.' || c == ':' ||
          c == '-'))
      return false;
  }
  return true;
}

enum kind { DECIMAL, INTEGER, DATE, RESIDENT_ID, CREDIT_CODE, IDENTIFIER };

/* Runs a parser or validator over a VARCHAR column; NULL in, or text that does not parse, gives NULL out. */
static void apply(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output, enum kind kind) {
  idx_t rows = duckdb_data_chunk_get_size(input);
  duckdb_vector texts = duckdb_data_chunk_get_vector(input, 0);
  duckdb_string_t *text = duckdb_vector_get_data(texts);
  uint64_t *validity = duckdb_vector_get_validity(texts);
  void *out = duckdb_vector_get_data(output);
  int scale = kind == DECIMAL ? (int)(intptr_t)duckdb_scalar_function_get_extra_info(info) : 0;
  for (idx_t row = 0; row < rows; row++) {
    bool ok = row_valid(validity, row);
    if (ok) {
      const uint8_t *s = string_data(&text[row]);
      size_t n = text[row].value.inlined.length;
      switch (kind) {
        case DECIMAL:
        case INTEGER: ok = parse_decimal(s, n, scale, &((int64_t *)out)[row]); break;
        case DATE: ok = parse_date(s, n, &((int32_t *)out)[row]); break;
        case RESIDENT_ID: ((bool *)out)[row] = is_resident_id(s, n); break;
        case CREDIT_CODE: ((bool *)out)[row] = is_credit_code(s, n); break;
        case IDENTIFIER: ((bool *)out)[row] = is_identifier(s, n); break;
      }
    }
    if (!ok) set_null(output, row);
  }
}

#define KIND_FUNCTION(name, kind)                                                                          \
  static void name(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {               \
    apply(info, input, output, kind);                                                                        \
  }
KIND_FUNCTION(decimal_function, DECIMAL)
KIND_FUNCTION(integer_function, INTEGER)
KIND_FUNCTION(date_function, DATE)
KIND_FUNCTION(resident_id_function, RESIDENT_ID)
KIND_FUNCTION(credit_code_function, CREDIT_CODE)
KIND_FUNCTION(identifier_function, IDENTIFIER)

/* Registers one scalar function of VARCHAR/BLOB/... parameters (a list ending in 0); takes `returns`. */
static bool register_function(duckdb_connection connection, const char *name, duckdb_scalar_function_t callback,
                              duckdb_logical_type returns, const duckdb_type *parameters, void *extra_info) {
  duckdb_scalar_function function = duckdb_create_scalar_function();
  duckdb_scalar_function_set_name(function, name);
  for (; *parameters; parameters++) {
    duckdb_logical_type type = duckdb_create_logical_type(*parameters);
    duckdb_scalar_function_add_parameter(function, type);
    duckdb_destroy_logical_type(&type);
  }
  duckdb_scalar_function_set_return_type(function, returns);
  duckdb_destroy_logical_type(&returns);
  duckdb_scalar_function_set_function(function, callback);
  if (extra_info) duckdb_scalar_function_set_extra_info(function, extra_info, NULL);
  bool registered = duckdb_register_scalar_function(connection, function) == DuckDBSuccess;
  duckdb_destroy_scalar_function(&function);
  return registered;
}

static duckdb_logical_type type_of(duckdb_type type) { return duckdb_create_logical_type(type); }

/* Entry point DuckDB calls on LOAD: the name is the file's base name followed by _init_c_api. */
bool beacon_intake_init_c_api(duckdb_extension_info info, struct duckdb_extension_access *access) {
  /* BEACON_HMAC_PORTABLE=1 forces the portable SHA-256, so tests check both against the reference digests. */
  const char *portable = getenv("BEACON_HMAC_PORTABLE");
  compress = (portable && *portable == '1') || !cpu_has_sha() ? compress_portable : compress_shani;
  duckdb_database *database = access->get_database(info);
  if (!database) return false;
  duckdb_connection connection;
  if (duckdb_connect(*database, &connection) != DuckDBSuccess) {
    access->set_error(info, "beacon_intake: could not connect to the database");
    return false;
  }
  const duckdb_type none[] = {0}, text[] = {DUCKDB_TYPE_VARCHAR, 0};
  const duckdb_type keyed[] = {DUCKDB_TYPE_BLOB, DUCKDB_TYPE_VARCHAR, 0};
  bool registered =
      register_function(connection, "beacon_hmac_sha256", hmac_sha256_function, type_of(DUCKDB_TYPE_VARCHAR), keyed,
                        NULL) &&
      register_function(connection, "beacon_hmac_implementation", implementation_function,
                        type_of(DUCKDB_TYPE_VARCHAR), none, NULL) &&
      register_function(connection, "beacon_parse_integer", integer_function, type_of(DUCKDB_TYPE_BIGINT), text,
                        NULL) &&
      register_function(connection, "beacon_parse_date", date_function, type_of(DUCKDB_TYPE_DATE), text, NULL) &&
      register_function(connection, "beacon_is_resident_id", resident_id_function, type_of(DUCKDB_TYPE_BOOLEAN),
                        text, NULL) &&
      register_function(connection, "beacon_is_credit_code", credit_code_function, type_of(DUCKDB_TYPE_BOOLEAN),
                        text, NULL) &&
      register_function(connection, "beacon_is_identifier", identifier_function, type_of(DUCKDB_TYPE_BOOLEAN),
                        text, NULL);
  /* One decimal parser per scale, which it reads from its extra info (a null pointer for scale 0). */
  for (int scale = 0; registered && scale <= 17; scale++) {
    char name[32];
    snprintf(name, sizeof name, "beacon_parse_decimal_%d", scale);
    registered = register_function(connection, name, decimal_function, duckdb_create_decimal_type(18, (uint8_t)scale),
                                   text, (void *)(intptr_t)scale);
  }
  duckdb_disconnect(&connection);
  if (!registered) access->set_error(info, "beacon_intake: could not register its functions");
  return registered;
}

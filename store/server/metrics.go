package server

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// latencyBuckets are the upper bounds, in seconds, of the request latency
// histogram.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// metrics counts requests, ingest outcomes and latencies, and writes them
// in the Prometheus text exposition format (version 0.0.4).
type metrics struct {
	mu        sync.Mutex
	requests  map[requestKey]uint64
	ingested  map[string]uint64
	latencies map[string]*histogram
	inFlight  int64
}

type requestKey struct{ route, method, code string }

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
}

func newMetrics() *metrics {
	return &metrics{
		requests:  map[requestKey]uint64{},
		ingested:  map[string]uint64{},
		latencies: map[string]*histogram{},
	}
}

// Ingest outcomes counted in pedigree_ingest_attestations_total.
const (
	resultCreated   = "created"
	resultExisting  = "existing"
	resultRejected  = "rejected"
	resultMalformed = "malformed"
)

func (m *metrics) begin() {
	m.mu.Lock()
	m.inFlight++
	m.mu.Unlock()
}

func (m *metrics) end(route, method string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inFlight--
	m.requests[requestKey{route, method, strconv.Itoa(code)}]++
	h := m.latencies[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.latencies[route] = h
	}
	s := d.Seconds()
	i, _ := slices.BinarySearch(latencyBuckets, s)
	h.counts[i]++
	h.sum += s
}

func (m *metrics) ingest(result string, n int) {
	if n == 0 {
		return
	}
	m.mu.Lock()
	m.ingested[result] += uint64(n)
	m.mu.Unlock()
}

// write writes every metric, series sorted by labels.
func (m *metrics) write(w io.Writer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	b.WriteString("# HELP pedigree_http_requests_total HTTP requests answered, by route, method and status code.\n")
	b.WriteString("# TYPE pedigree_http_requests_total counter\n")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b requestKey) int {
		return strings.Compare(a.route+"\x00"+a.method+"\x00"+a.code, b.route+"\x00"+b.method+"\x00"+b.code)
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "pedigree_http_requests_total{route=%s,method=%s,code=%s} %d\n", label(k.route), label(k.method), label(k.code), m.requests[k])
	}

	b.WriteString("# HELP pedigree_http_requests_in_flight HTTP requests being answered.\n")
	b.WriteString("# TYPE pedigree_http_requests_in_flight gauge\n")
	fmt.Fprintf(&b, "pedigree_http_requests_in_flight %d\n", m.inFlight)

	b.WriteString("# HELP pedigree_ingest_attestations_total Submitted attestations, by outcome: created (verified, stored), existing (verified, already stored), rejected (failed verification), malformed (not an attestation).\n")
	b.WriteString("# TYPE pedigree_ingest_attestations_total counter\n")
	for _, r := range []string{resultCreated, resultExisting, resultMalformed, resultRejected} {
		fmt.Fprintf(&b, "pedigree_ingest_attestations_total{result=%s} %d\n", label(r), m.ingested[r])
	}

	b.WriteString("# HELP pedigree_http_request_duration_seconds Time to answer HTTP requests, by route.\n")
	b.WriteString("# TYPE pedigree_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.latencies))
	for r := range m.latencies {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	for _, r := range routes {
		h := m.latencies[r]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "pedigree_http_request_duration_seconds_bucket{route=%s,le=%s} %d\n", label(r), label(strconv.FormatFloat(le, 'g', -1, 64)), cum)
		}
		cum += h.counts[len(latencyBuckets)]
		fmt.Fprintf(&b, "pedigree_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", label(r), cum)
		fmt.Fprintf(&b, "pedigree_http_request_duration_seconds_sum{route=%s} %s\n", label(r), strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(&b, "pedigree_http_request_duration_seconds_count{route=%s} %d\n", label(r), cum) // the +Inf bucket counts them all
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// labelEscaper escapes what the exposition format escapes in a label
// value: backslash, double quote and newline.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// label quotes a label value as the exposition format wants.
func label(v string) string { return `"` + labelEscaper.Replace(v) + `"` }

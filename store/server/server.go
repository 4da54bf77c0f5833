// Package server is the HTTP API of pedigree's attestation store (see
// docs/api.md): ingest of attestations that verify, lookup by subject
// digest, raw attestations by content address, subject summaries, PEP 740
// provenance objects for Python tooling, health and Prometheus metrics.
// Writes need a bearer token; reads are open unless configured otherwise.
// Request bodies are size-limited, every connection has timeouts, and Serve
// drains in-flight requests before it returns.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/store"
)

// Defaults of the server's limits.
const (
	DefaultMaxBodySize = 32 << 20 // bytes of one request body
)

// Timeouts bound each connection and request. A zero field takes the
// default of DefaultTimeouts.
type Timeouts struct {
	// ReadHeader bounds reading a request's headers (slow clients).
	ReadHeader time.Duration
	// Read bounds reading a whole request, body included.
	Read time.Duration
	// Request bounds handling one request (verification and database
	// included) and writing the answer.
	Request time.Duration
	// Idle bounds how long a keep-alive connection waits for its next
	// request.
	Idle time.Duration
	// Shutdown bounds how long Serve waits for in-flight requests once its
	// context ends.
	Shutdown time.Duration
}

// DefaultTimeouts are the timeouts used for zero fields of Timeouts.
var DefaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       60 * time.Second,
	Request:    120 * time.Second,
	Idle:       120 * time.Second,
	Shutdown:   30 * time.Second,
}

// Server answers the store's HTTP API. Create it with New.
type Server struct {
	s                 *store.Store
	maxBody           int64
	readTokenRequired bool
	timeouts          Timeouts
	log               *slog.Logger
	metrics           *metrics
	mux               *http.ServeMux
}

// Option configures a Server.
type Option func(*Server)

// WithMaxBodySize limits request bodies to n bytes (default
// DefaultMaxBodySize); larger ones get 413.
func WithMaxBodySize(n int64) Option { return func(s *Server) { s.maxBody = n } }

// WithReadTokenRequired makes reads (everything but /healthz) need a valid
// bearer token too.
func WithReadTokenRequired() Option { return func(s *Server) { s.readTokenRequired = true } }

// WithTimeouts sets the connection, request and shutdown timeouts; zero
// fields keep their defaults.
func WithTimeouts(t Timeouts) Option {
	return func(s *Server) {
		d := DefaultTimeouts
		pick := func(v, def time.Duration) time.Duration {
			if v > 0 {
				return v
			}
			return def
		}
		s.timeouts = Timeouts{
			ReadHeader: pick(t.ReadHeader, d.ReadHeader), Read: pick(t.Read, d.Read),
			Request: pick(t.Request, d.Request), Idle: pick(t.Idle, d.Idle), Shutdown: pick(t.Shutdown, d.Shutdown),
		}
	}
}

// WithLogger logs server errors and lifecycle events to l (default: none).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// New returns a Server for st.
func New(st *store.Store, opts ...Option) *Server {
	srv := &Server{
		s:        st,
		maxBody:  DefaultMaxBodySize,
		timeouts: DefaultTimeouts,
		log:      slog.New(slog.DiscardHandler),
		metrics:  newMetrics(),
	}
	for _, o := range opts {
		o(srv)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/attestations", srv.auth(true, srv.postAttestations))
	mux.HandleFunc("GET /v1/attestations", srv.auth(false, srv.getAttestations))
	mux.HandleFunc("GET /v1/attestations/{id}", srv.auth(false, srv.getAttestation))
	mux.HandleFunc("GET /v1/subjects/{digest}", srv.auth(false, srv.getSubject))
	mux.HandleFunc("GET /integrity/{project}/{version}/{filename}/provenance", srv.auth(false, srv.getProvenance))
	mux.HandleFunc("GET /healthz", srv.healthz)
	mux.HandleFunc("GET /metrics", srv.auth(false, srv.getMetrics))
	srv.mux = mux
	return srv
}

// Handler returns the API's handler, with metrics and the request timeout.
func (srv *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		srv.metrics.begin()
		ctx, cancel := context.WithTimeout(r.Context(), srv.timeouts.Request)
		defer cancel()
		rw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(ctx)
		srv.mux.ServeHTTP(rw, r)
		route := r.Pattern // set by the mux on the request it was given
		if route == "" {
			route = "other"
		}
		if rw.code == 0 {
			rw.code = http.StatusOK
		}
		srv.metrics.end(route, r.Method, rw.code, time.Since(start))
	})
}

// statusWriter records the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Serve answers requests on l until ctx ends, then stops accepting
// connections and waits (up to the shutdown timeout) for the requests in
// flight to finish. Requests in flight keep their own contexts: ending ctx
// does not cancel them. It returns nil after a clean shutdown, or the
// listener's or the shutdown's error.
func (srv *Server) Serve(ctx context.Context, l net.Listener) error {
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: srv.timeouts.ReadHeader,
		ReadTimeout:       srv.timeouts.Read,
		WriteTimeout:      srv.timeouts.Read + srv.timeouts.Request,
		IdleTimeout:       srv.timeouts.Idle,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:          slog.NewLogLogger(srv.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	srv.log.Info("shutting down: draining requests in flight", "timeout", srv.timeouts.Shutdown)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), srv.timeouts.Shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// auth wraps a handler with the bearer token check: always for writes, for
// reads when the server requires it.
func (srv *Server) auth(write bool, h http.HandlerFunc) http.HandlerFunc {
	if !write && !srv.readTokenRequired {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearer(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="pedigree"`)
			writeError(w, http.StatusUnauthorized, "this request needs a token: Authorization: Bearer <token> (pedigree serve token create)")
			return
		}
		if _, err := srv.s.Authenticate(r.Context(), tok); err != nil {
			if errors.Is(err, store.ErrUnauthorized) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="pedigree", error="invalid_token"`)
				writeError(w, http.StatusUnauthorized, "invalid token")
				return
			}
			srv.internalError(w, r, err)
			return
		}
		h(w, r)
	}
}

// bearer returns the token of an "Authorization: Bearer TOKEN" header.
func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

func (srv *Server) postAttestations(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, srv.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			srv.metrics.ingest(resultMalformed, 1)
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", srv.maxBody))
			return
		}
		writeError(w, http.StatusBadRequest, "reading the body: "+err.Error())
		return
	}
	res, err := srv.s.Ingest(r.Context(), body)
	if err != nil {
		var ie *store.IngestError
		switch {
		case errors.As(err, &ie):
			code := http.StatusUnprocessableEntity
			for _, p := range ie.Problems {
				if errors.Is(p.Err(), store.ErrMalformed) {
					code = http.StatusBadRequest
					srv.metrics.ingest(resultMalformed, 1)
				} else {
					srv.metrics.ingest(resultRejected, 1)
				}
			}
			writeJSON(w, code, store.ErrorResponse{Error: err.Error(), Problems: ie.Problems})
		case errors.Is(err, store.ErrTooLarge):
			srv.metrics.ingest(resultMalformed, 1)
			writeError(w, http.StatusRequestEntityTooLarge, err.Error())
		case errors.Is(err, store.ErrMalformed), errors.Is(err, store.ErrEmpty):
			srv.metrics.ingest(resultMalformed, 1)
			writeError(w, http.StatusBadRequest, err.Error())
		default:
			srv.internalError(w, r, err)
		}
		return
	}
	code := http.StatusOK
	created := 0
	for _, in := range res {
		if in.Created {
			created++
			code = http.StatusCreated
		}
	}
	srv.metrics.ingest(resultCreated, created)
	srv.metrics.ingest(resultExisting, len(res)-created)
	if len(res) == 1 {
		w.Header().Set("Location", "/v1/attestations/"+res[0].ID)
	}
	writeJSON(w, code, store.IngestResponse{Attestations: res})
}

func (srv *Server) getAttestations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := q.Get("digest")
	if d == "" {
		writeError(w, http.StatusBadRequest, "missing query parameter digest=ALG:HEX, e.g. digest=sha256:<64 hex characters>")
		return
	}
	key, err := store.ParseSubjectKey(d)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	query := store.Query{Subject: key, PredicateType: q.Get("predicateType")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > store.MaxLimit {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit %q: want 1 to %d", l, store.MaxLimit))
			return
		}
		query.Limit = n
	}
	recs, more, err := srv.s.Lookup(r.Context(), query)
	if err != nil {
		if errors.Is(err, store.ErrInvalidQuery) {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		srv.internalError(w, r, err)
		return
	}
	body, err := lookupBody(key, recs, more)
	if err != nil {
		srv.internalError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// lookupBody writes a store.LookupResponse with each attestation's bytes
// exactly as stored (encoding/json would compact them), so that clients can
// check them against their IDs.
func lookupBody(key store.SubjectKey, recs []*store.Record, more bool) ([]byte, error) {
	var b bytes.Buffer
	d, _ := json.Marshal(key.String())
	b.WriteString(`{"digest":`)
	b.Write(d)
	b.WriteString(`,"attestations":[`)
	for i, rec := range recs {
		if i > 0 {
			b.WriteByte(',')
		}
		meta, err := json.Marshal(rec)
		if err != nil {
			return nil, err
		}
		b.Write(meta[:len(meta)-1]) // without the closing brace
		b.WriteString(`,"attestation":`)
		b.Write(rec.Raw)
		b.WriteByte('}')
	}
	fmt.Fprintf(&b, "],\"more\":%t}\n", more)
	return b.Bytes(), nil
}

func (srv *Server) getAttestation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	rec, err := srv.s.Get(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrInvalidQuery):
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "no attestation "+id)
		return
	case err != nil:
		srv.internalError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("ETag", `"`+rec.ID+`"`)
	// Content-addressed: the bytes under this ID never change.
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Length", strconv.Itoa(len(rec.Raw)))
	w.WriteHeader(http.StatusOK)
	w.Write(rec.Raw)
}

func (srv *Server) getSubject(w http.ResponseWriter, r *http.Request) {
	key, err := store.ParseSubjectKey(r.PathValue("digest"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	sum, err := srv.s.Summarize(r.Context(), key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "no attestation has subject "+key.String())
	case err != nil:
		srv.internalError(w, r, err)
	default:
		writeJSON(w, http.StatusOK, sum)
	}
}

func (srv *Server) getProvenance(w http.ResponseWriter, r *http.Request) {
	prov, err := srv.s.Provenance(r.Context(), r.PathValue("project"), r.PathValue("version"), r.PathValue("filename"))
	switch {
	case errors.Is(err, store.ErrInvalidQuery):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case err != nil:
		srv.internalError(w, r, err)
	default:
		writeJSON(w, http.StatusOK, prov)
	}
}

func (srv *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := srv.s.Backend().Ping(ctx); err != nil {
		srv.log.Error("health check", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (srv *Server) getMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	srv.metrics.write(w)
}

// internalError answers 500 (503 when the request's time ran out) and logs
// the cause, which is not shown to the client.
func (srv *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.DeadlineExceeded) {
		writeError(w, http.StatusServiceUnavailable, "the request took too long")
		return
	}
	srv.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	writeError(w, http.StatusInternalServerError, "internal error (see the server's log)")
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, store.ErrorResponse{Error: msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

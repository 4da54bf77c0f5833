// Package client speaks the HTTP API of pedigree's attestation store (see
// package store/server and docs/api.md): push attestations, look them up by
// subject digest, fetch one by its content address, read a subject's
// summary. Every attestation received is checked against its content
// address before it is returned.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pedigree-dev/pedigree/store"
)

// Errors returned by this package besides *APIError, wrapped with the
// detail.
var (
	// ErrURL: the server URL is not an http or https URL.
	ErrURL = errors.New("invalid server URL")
	// ErrResponse: the server's answer is not what the API promises
	// (not JSON, too large, an attestation that is not its ID's bytes).
	ErrResponse = errors.New("invalid response from the store")
)

// MaxResponseSize bounds the answers the client reads (256 MiB).
const MaxResponseSize = 256 << 20

// APIError is an answer with a 4xx or 5xx status. It unwraps to the store
// sentinel error the status stands for: store.ErrMalformed (400),
// store.ErrUnauthorized (401, 403), store.ErrNotFound (404),
// store.ErrTooLarge (413) or store.ErrRejected (422).
type APIError struct {
	StatusCode int
	// Message is the server's error; Problems its per-attestation reasons
	// for a refused push.
	Message  string
	Problems []store.Problem
}

// Error returns the status and the server's message: "store answered 422
// Unprocessable Entity: MESSAGE".
func (e *APIError) Error() string {
	return fmt.Sprintf("store answered %d %s: %s", e.StatusCode, http.StatusText(e.StatusCode), e.Message)
}

// Unwrap returns the store sentinel error of the status code, or nil.
func (e *APIError) Unwrap() error {
	switch e.StatusCode {
	case http.StatusBadRequest:
		return store.ErrMalformed
	case http.StatusUnauthorized, http.StatusForbidden:
		return store.ErrUnauthorized
	case http.StatusNotFound:
		return store.ErrNotFound
	case http.StatusRequestEntityTooLarge:
		return store.ErrTooLarge
	case http.StatusUnprocessableEntity:
		return store.ErrRejected
	}
	return nil
}

// Client talks to one store. It is safe for concurrent use.
type Client struct {
	base  *url.URL
	token string
	hc    *http.Client
	agent string
}

// Option configures a Client.
type Option func(*Client)

// WithToken sends token as the bearer token (needed for Push, and for
// reads from a store started with --read-token-required).
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithHTTPClient uses hc instead of a client with a 2-minute timeout.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.agent = ua } }

// New returns a Client for the store at baseURL (http://HOST:PORT, with an
// optional path prefix). It fails with ErrURL.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q: want http://HOST[:PORT] or https://HOST[:PORT]: %w", baseURL, ErrURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	c := &Client{base: u, hc: &http.Client{Timeout: 2 * time.Minute}, agent: "pedigree"}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// URL returns the address of an API path on this store.
func (c *Client) URL(path string) string { return c.base.String() + path }

// Push submits a body of attestations (one, or JSON Lines). It returns the
// store's answer, or an *APIError (a refused body: nothing of it was
// stored), ErrResponse, or the transport's error.
func (c *Client) Push(ctx context.Context, body []byte) (*store.IngestResponse, error) {
	var out store.IngestResponse
	if err := c.do(ctx, http.MethodPost, "/v1/attestations", body, &out); err != nil {
		return nil, err
	}
	for i, a := range out.Attestations {
		if store.ValidateID(a.ID) != nil {
			return nil, fmt.Errorf("attestations[%d].id %q: %w", i, a.ID, ErrResponse)
		}
	}
	return &out, nil
}

// LookupOptions narrow a Lookup.
type LookupOptions struct {
	// PredicateType keeps only attestations of that predicate type.
	PredicateType string
	// Limit caps the attestations returned (0: the server's default).
	Limit int
}

// Lookup returns the stored attestations with a subject digest. Each
// attestation's bytes are checked against its ID (their SHA-256). It fails
// with an *APIError, ErrResponse, or the transport's error.
func (c *Client) Lookup(ctx context.Context, key store.SubjectKey, o LookupOptions) (*store.LookupResponse, error) {
	q := url.Values{"digest": {key.String()}}
	if o.PredicateType != "" {
		q.Set("predicateType", o.PredicateType)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	var out store.LookupResponse
	if err := c.do(ctx, http.MethodGet, "/v1/attestations?"+q.Encode(), nil, &out); err != nil {
		return nil, err
	}
	for i, a := range out.Attestations {
		if store.ContentID(a.Attestation) != a.ID {
			return nil, fmt.Errorf("attestations[%d]: bytes are not those of id %s: %w", i, a.ID, ErrResponse)
		}
	}
	return &out, nil
}

// Get returns the attestation with that ID, as submitted, checked against
// the ID. It fails with an *APIError (store.ErrNotFound when there is
// none), ErrResponse, or the transport's error.
func (c *Client) Get(ctx context.Context, id string) ([]byte, error) {
	if err := store.ValidateID(id); err != nil {
		return nil, err
	}
	raw, err := c.raw(ctx, http.MethodGet, "/v1/attestations/"+id, nil)
	if err != nil {
		return nil, err
	}
	if store.ContentID(raw) != id {
		return nil, fmt.Errorf("attestation %s: the bytes received have another SHA-256: %w", id, ErrResponse)
	}
	return raw, nil
}

// Subject returns the store's summary of a subject digest. It fails with an
// *APIError (store.ErrNotFound when the store holds nothing about it),
// ErrResponse, or the transport's error.
func (c *Client) Subject(ctx context.Context, key store.SubjectKey) (*store.Summary, error) {
	var out store.Summary
	if err := c.do(ctx, http.MethodGet, "/v1/subjects/"+key.String(), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	raw, err := c.raw(ctx, method, path, body)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: %v: %w", method, path, err, ErrResponse)
	}
	return nil
}

// raw sends a request and returns the body of a 2xx answer.
func (c *Client) raw(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.URL(path), rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if len(data) > MaxResponseSize {
		return nil, fmt.Errorf("%s %s: answer larger than %d bytes: %w", method, path, MaxResponseSize, ErrResponse)
	}
	if resp.StatusCode/100 != 2 {
		e := &APIError{StatusCode: resp.StatusCode}
		var er store.ErrorResponse
		if json.Unmarshal(data, &er) == nil && er.Error != "" {
			e.Message, e.Problems = er.Error, er.Problems
		} else {
			e.Message = strings.TrimSpace(string(data[:min(len(data), 200)]))
		}
		return nil, e
	}
	return data, nil
}

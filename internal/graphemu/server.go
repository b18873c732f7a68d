package graphemu

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

const (
	apiPrefix = "/v1.0"
	// maxBodySize bounds request bodies; a 2 MB PFX in base64 fits with room to spare.
	maxBodySize = 16 << 20
	// contentTypeJSON is what Graph sends with JSON bodies.
	contentTypeJSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
)

var errTooManyRedirects = errors.New("stopped after 10 redirects")

// call is one request being handled.
type call struct {
	w         http.ResponseWriter
	r         *http.Request
	requestID string
	// base is scheme://host of the request, used in @odata.context and nextLink.
	base string
	// path is below /v1.0; segs are its segments.
	path string
	segs []string
	// now is the emulator's clock, for innerError.date.
	now func() time.Time
	// rejectPBES2 answers PFX files encrypted with PBES2 (AES) as Azure AD B2C does (Options.RejectPBES2).
	rejectPBES2 bool
	// pageSize is how many items a list answers without $top (page_size.go).
	pageSize int
}

func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e.files != nil && (r.URL.Path == "/files" || strings.HasPrefix(r.URL.Path, "/files/")) {
		e.files.ServeHTTP(w, r)
		return
	}
	started := time.Now()
	at := e.clk.Now()

	e.mu.Lock()
	latency := e.latency
	e.mu.Unlock()
	if latency > 0 && !isBatchItem(r.Context()) { // a batch's latency is paid once, by the batch (batch.go)
		// Real time on purpose: a fake clock would make the latency vanish or move the emulator's time.
		sleepCtx(r.Context(), latency)
	}

	c := &call{w: w, r: r, requestID: newGUID(), base: requestBase(r), now: e.clk.Now, rejectPBES2: e.rejectsPBES2(), pageSize: e.listPageSize()}
	w.Header().Set("request-id", c.requestID)
	if cid := r.Header.Get("client-request-id"); cid != "" {
		w.Header().Set("client-request-id", cid)
	} else {
		w.Header().Set("client-request-id", c.requestID)
	}

	rel, ok := strings.CutPrefix(r.URL.Path, apiPrefix)
	if !ok || (rel != "" && rel[0] != '/') {
		// Outside /v1.0 (e.g. /beta): not journaled, since journal paths are relative to /v1.0.
		c.w = w
		c.errorf(http.StatusNotFound, "ResourceNotFound", "Only /v1.0 is emulated; %s is not.", r.URL.Path)
		return
	}
	c.path = rel
	c.segs = splitPath(rel)

	rec := &statusRecorder{ResponseWriter: w}
	c.w = rec
	dropped := false
	if !e.authorized(c) {
		// Unauthenticated requests neither consume faults nor reach state.
	} else if f, ok := e.takeFault(r.Method, rel); ok {
		if f.DropAfterProcessing {
			buf := &bufferedWriter{header: http.Header{}}
			c.w = buf
			e.route(c)
			dropped = true
		} else {
			status := f.Status
			if status == 0 {
				status = http.StatusServiceUnavailable
			}
			code := f.Code
			if code == "" {
				code = defaultCode(status)
			}
			if f.RetryAfter != "" {
				rec.Header().Set("Retry-After", f.RetryAfter)
			}
			c.errorf(status, code, "%s", defaultMessage(status))
		}
	} else {
		e.route(c)
	}

	entry := JournalEntry{
		Time:     at,
		Method:   r.Method,
		Path:     rel,
		Query:    r.URL.RawQuery,
		Status:   rec.status,
		Duration: time.Since(started),
		InBatch:  r.Context().Value(batchItemKey{}) != nil,
	}
	if dropped {
		entry.Status = 0
	} else if entry.Status == 0 {
		entry.Status = http.StatusOK
	}
	e.mu.Lock()
	e.journal = append(e.journal, entry)
	e.mu.Unlock()

	if dropped {
		dropConnection(w)
	}
}

// dropConnection closes the client's connection without an answer: the request took effect, the response is lost.
func dropConnection(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		if tc, ok := conn.(*net.TCPConn); ok {
			// Reset rather than FIN, so clients see a broken connection, not a clean EOF they might retry silently.
			_ = tc.SetLinger(0)
		}
		_ = conn.Close()
		return
	}
	// HTTP/2 cannot be hijacked; aborting the handler resets the stream instead.
	panic(http.ErrAbortHandler)
}

func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// authorized checks the bearer token and answers 401 itself when it fails.
func (e *Emulator) authorized(c *call) bool {
	h := c.r.Header.Get("Authorization")
	scheme, tok, _ := strings.Cut(strings.TrimSpace(h), " ")
	tok = strings.TrimSpace(tok)
	c.w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
	switch {
	case h == "" || !strings.EqualFold(scheme, "Bearer") || tok == "":
		c.errorf(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return false
	case e.token != "" && tok != e.token:
		c.errorf(http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
		return false
	}
	c.w.Header().Del("WWW-Authenticate")
	return true
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// bufferedWriter swallows the answer of a request whose connection is going to be dropped.
type bufferedWriter struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }

// ---- answers ----

func (c *call) json(status int, v any) {
	b, err := marshal(v)
	if err != nil {
		c.errorf(http.StatusInternalServerError, "InternalServerError", "encoding the response: %v", err)
		return
	}
	c.w.Header().Set("Content-Type", contentTypeJSON)
	c.w.WriteHeader(status)
	_, _ = c.w.Write(b)
}

// marshal encodes without HTML escaping, so nextLinks keep a literal '&' as Graph writes them.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func (c *call) noContent() { c.w.WriteHeader(http.StatusNoContent) }

// entityJSON is an object answer that carries its own @odata.context.
type entityJSON interface{ setContext(string) }

// entity answers one object, its @odata.context naming fragment (e.g. "identity/apiConnectors/$entity").
func (c *call) entity(status int, fragment string, v entityJSON) {
	v.setContext(c.context(fragment))
	c.json(status, v)
}

// objectNotFound is Graph's 404 for a directory object (a PKI, a CA, a user, a deleted item) that is not there.
func (c *call) objectNotFound(id string) { c.notFound("Request_ResourceNotFound", id) }

func (c *call) notFound(code, id string) {
	c.errorf(http.StatusNotFound, code, "Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)
}

type graphError struct {
	Error graphErrorBody `json:"error"`
}

type graphErrorBody struct {
	Code       string     `json:"code"`
	Message    string     `json:"message"`
	InnerError innerError `json:"innerError"`
}

type innerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
}

// errorf answers in Graph's error shape. innerError.date has no zone, exactly as Graph writes it.
func (c *call) errorf(status int, code, format string, args ...any) {
	body := graphError{Error: graphErrorBody{
		Code:    code,
		Message: fmt.Sprintf(format, args...),
		InnerError: innerError{
			Date:            c.now().UTC().Format("2006-01-02T15:04:05"),
			RequestID:       c.requestID,
			ClientRequestID: c.w.Header().Get("client-request-id"),
		},
	}}
	b, _ := marshal(body)
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(status)
	_, _ = c.w.Write(b)
}

func (c *call) badRequest(format string, args ...any) {
	c.errorf(http.StatusBadRequest, "BadRequest", format, args...)
}

func (c *call) methodNotAllowed(allowed ...string) {
	c.w.Header().Set("Allow", strings.Join(allowed, ", "))
	c.errorf(http.StatusMethodNotAllowed, "MethodNotAllowed",
		"The HTTP method '%s' is not allowed for the resource %s.", c.r.Method, c.path)
}

// ---- request bodies ----

type errUnsupportedEncoding struct{ enc string }

func (e errUnsupportedEncoding) Error() string { return "unsupported Content-Encoding " + e.enc }

// body reads the request body, decompressing gzip as msgraph-sdk-go sends it by default.
func (c *call) body() ([]byte, error) {
	var rd io.Reader = http.MaxBytesReader(c.w, c.r.Body, maxBodySize)
	switch enc := strings.ToLower(strings.TrimSpace(c.r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return nil, fmt.Errorf("the gzip body could not be read: %w", err)
		}
		defer zr.Close()
		rd = io.LimitReader(zr, maxBodySize+1)
	default:
		return nil, errUnsupportedEncoding{enc}
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("the body could not be read: %w", err)
	}
	if len(b) > maxBodySize {
		return nil, errors.New("the body is too large")
	}
	return b, nil
}

// readBody is body for a handler: on failure it has already answered (400, or 415 for an unknown encoding so
// msgraph-sdk-go's compression handler retries uncompressed).
func (c *call) readBody() ([]byte, bool) {
	b, err := c.body()
	if err != nil {
		var ue errUnsupportedEncoding
		if errors.As(err, &ue) {
			c.errorf(http.StatusUnsupportedMediaType, "UnsupportedMediaType", "%v.", err)
		} else {
			c.badRequest("%v", err)
		}
		return nil, false
	}
	return b, true
}

// object reads a JSON object body. On failure it has already answered (see readBody).
func (c *call) object() (jsonObject, bool) {
	b, ok := c.readBody()
	if !ok {
		return nil, false
	}
	var m map[string]json.RawMessage
	if len(bytes.TrimSpace(b)) == 0 {
		c.badRequest("Empty Payload, JSON content expected for Post or Patch request.")
		return nil, false
	}
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		c.badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return nil, false
	}
	return jsonObject(m), true
}

// typedObject reads a JSON object body of the named type; a property the type does not have answers 400.
func (c *call) typedObject(typeName string, properties ...string) (jsonObject, bool) {
	o, ok := c.object()
	return o, ok && c.checkProperties(o, typeName, properties...)
}

type jsonObject map[string]json.RawMessage

// requiredStrings reads string members (kind: "property" or "parameter") that must be there and not blank; it
// answers 400 itself ("The property 'displayName' is required.") and returns ok=false.
func (c *call) requiredStrings(o jsonObject, kind string, keys ...string) ([]string, bool) {
	vals := make([]string, len(keys))
	errs := make([]error, len(keys))
	for i, k := range keys {
		vals[i], _, errs[i] = o.str(k)
	}
	if err := errors.Join(errs...); err != nil {
		c.badRequest("%v", err)
		return nil, false
	}
	for i, k := range keys {
		if strings.TrimSpace(vals[i]) == "" {
			c.badRequest("The %s '%s' is required.", kind, k)
			return nil, false
		}
	}
	return vals, true
}

// checkProperties answers 400 for a property the type does not have, as Graph does; @odata annotations pass.
func (c *call) checkProperties(o jsonObject, typeName string, known ...string) bool {
	for k := range o {
		if strings.HasPrefix(k, "@") {
			continue
		}
		found := false
		for _, n := range known {
			if k == n {
				found = true
				break
			}
		}
		if !found {
			c.badRequest("Property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", k, typeName)
			return false
		}
	}
	return true
}

// str returns a string property: present reports whether the key was there with a non-null value.
func (o jsonObject) str(key string) (v string, present bool, err error) {
	raw, ok := o[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return "", false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", true, fmt.Errorf("Cannot convert the literal '%s' to the expected type 'Edm.String'.", truncate(string(raw), 40))
	}
	return v, true, nil
}

func (o jsonObject) boolean(key string) (v bool, present bool, err error) {
	raw, ok := o[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return false, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return false, true, fmt.Errorf("Cannot convert the literal '%s' to the expected type 'Edm.Boolean'.", truncate(string(raw), 40))
	}
	return v, true, nil
}

func (o jsonObject) object(key string) (jsonObject, bool, error) {
	raw, ok := o[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, false, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, true, fmt.Errorf("The property '%s' must be an object.", key)
	}
	return jsonObject(m), true, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// ---- ids and times ----

func newGUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// normID lower-cases ids: Graph treats GUIDs case-insensitively.
func normID(id string) string { return strings.ToLower(id) }

// graphTime formats a time as Graph does: RFC 3339, UTC, whole seconds.
func graphTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

func (c *call) context(fragment string) string {
	return c.base + apiPrefix + "/$metadata#" + fragment
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

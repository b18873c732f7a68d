package graphemu

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
)

// maxBatchRequests is Graph's limit of requests in one JSON batch.
const maxBatchRequests = 20

type batchRequestJSON struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

type batchResponseJSON struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body"`
}

// batch answers POST /v1.0/$batch: each item is dispatched to the ordinary routes with the batch's
// Authorization (so auth, faults, read lag and the journal apply per item) and answered in one 200.
// An item whose fault drops the answer (DropAfterProcessing) is processed, and then the whole batch's
// connection is dropped: the batch took effect and its answer is lost.
func (e *Emulator) batch(c *call) {
	if c.r.Method != http.MethodPost {
		c.errorf(http.StatusMethodNotAllowed, "Request_BadRequest", "Only POST is supported on $batch.")
		return
	}
	raw, err := c.body()
	if err != nil {
		c.badRequest("%v", err)
		return
	}
	var in struct {
		Requests []batchRequestJSON `json:"requests"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		c.badRequest("Invalid batch payload format: %v", err)
		return
	}
	if len(in.Requests) == 0 {
		c.badRequest("Invalid batch payload format: requests is empty.")
		return
	}
	if len(in.Requests) > maxBatchRequests {
		c.badRequest("Number of requests in the batch (%d) exceeds the limit of %d.", len(in.Requests), maxBatchRequests)
		return
	}
	seen := map[string]bool{}
	for _, r := range in.Requests {
		switch {
		case r.ID == "" || r.Method == "" || r.URL == "":
			c.badRequest("Every batch request needs id, method and url.")
			return
		case seen[r.ID]:
			c.badRequest("Batch request ids must be unique; %q is repeated.", r.ID)
			return
		case len(r.Body) > 0 && string(r.Body) != "null" && headerOf(r.Headers, "Content-Type") == "":
			c.badRequest("Batch request %q has a body but no Content-Type header.", r.ID)
			return
		}
		for _, d := range r.DependsOn {
			if !seen[d] {
				c.badRequest("Batch request %q depends on %q, which does not come before it.", r.ID, d)
				return
			}
		}
		seen[r.ID] = true
	}

	status := map[string]int{}
	out := make([]batchResponseJSON, 0, len(in.Requests))
	dropped := false
	for _, r := range in.Requests {
		failedDep := ""
		for _, d := range r.DependsOn {
			if status[d] >= 400 {
				failedDep = d
			}
		}
		if failedDep != "" {
			status[r.ID] = http.StatusFailedDependency
			body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": "FailedDependency",
				"message": "The request depends on request " + failedDep + ", which failed."}})
			out = append(out, batchResponseJSON{ID: r.ID, Status: http.StatusFailedDependency, Body: body})
			continue
		}
		resp, drop := e.batchItem(c.r, r)
		dropped = dropped || drop
		resp.ID = r.ID
		status[r.ID] = resp.Status
		out = append(out, resp)
	}
	if dropped {
		dropConnection(c.w)
		return
	}
	c.json(http.StatusOK, map[string]any{"responses": out})
}

// batchItem runs one item through ServeHTTP and records its answer.
func (e *Emulator) batchItem(outer *http.Request, r batchRequestJSON) (batchResponseJSON, bool) {
	u := r.URL
	if !strings.HasPrefix(u, "/") {
		u = "/" + u
	}
	var body *bytes.Reader
	if len(r.Body) > 0 && string(r.Body) != "null" {
		body = bytes.NewReader(r.Body)
	} else {
		body = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(context.WithValue(outer.Context(), batchItemKey{}, true), strings.ToUpper(r.Method), apiPrefix+u, body)
	if err != nil {
		b, _ := json.Marshal(map[string]any{"error": map[string]any{"code": "BadRequest", "message": "Invalid request URL."}})
		return batchResponseJSON{Status: http.StatusBadRequest, Body: b}, false
	}
	req.Host = outer.Host
	req.Header.Set("Authorization", outer.Header.Get("Authorization"))
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	rec := &itemRecorder{bufferedWriter: bufferedWriter{header: http.Header{}}}
	e.ServeHTTP(rec, req)
	resp := batchResponseJSON{Status: rec.status, Headers: map[string]string{}}
	if resp.Status == 0 {
		resp.Status = http.StatusOK
	}
	for k := range rec.header {
		resp.Headers[k] = rec.header.Get(k)
	}
	if b := bytes.TrimSpace(rec.body.Bytes()); len(b) > 0 {
		resp.Body = json.RawMessage(b)
	} else {
		resp.Body = json.RawMessage("null")
	}
	return resp, rec.hijacked
}

// itemRecorder buffers one batch item's answer; a drop (Hijack) is noted instead of closing anything.
type itemRecorder struct {
	bufferedWriter
	hijacked bool
}

func (w *itemRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	a, b := net.Pipe()
	_ = b.Close()
	return a, bufio.NewReadWriter(bufio.NewReader(a), bufio.NewWriter(a)), nil
}

func headerOf(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

type batchItemKey struct{}

// isBatchItem reports whether a request is an item dispatched from a $batch.
func isBatchItem(ctx context.Context) bool {
	v, _ := ctx.Value(batchItemKey{}).(bool)
	return v
}

package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	abs "github.com/microsoft/kiota-abstractions-go"
)

// JSON batching (POST /$batch, graph-api.md §7). The batch body is written with encoding/json rather than
// msgraph-sdk-go-core's BatchRequest, whose GetBatchResponseById panics on a 204 item with "body": null. It is
// sent through the same adapter, so auth, telemetry, the wire log and the transport's retry policy apply: the
// $batch POST itself is re-sent on 429 and never after a lost answer.

// MaxBatchRequests is Graph's limit of requests in one $batch.
const MaxBatchRequests = 20

// batchItem is one request of a batch. URL is below /v1.0, e.g. "/directory/...".
type batchItem struct {
	Method string
	URL    string
	Body   any // marshalled as JSON; nil: no body
}

// batchOutcome is one item's answer: Status and Body on an answer, Err when the item failed (a non-2xx status as
// *Error, or the whole batch's error).
type batchOutcome struct {
	Status int
	Body   json.RawMessage
	Err    error
}

type batchRequestJSON struct {
	ID      string            `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    any               `json:"body,omitempty"`
}

type batchResponseJSON struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// runBatch sends items in batches of MaxBatchRequests and returns each outcome by index. Items answered 429 are
// sent again (in a later batch, alone with the other throttled ones) after the longest retry-after among them, at
// most c.maxRetries times; other failures are the item's outcome (5xx: IsOutcomeUnknown, the caller reads).
func (c *Client) runBatch(ctx context.Context, items []batchItem) []batchOutcome {
	out := make([]batchOutcome, len(items))
	pending := make([]int, len(items))
	for i := range items {
		pending[i] = i
	}
	for attempt := 0; len(pending) > 0; attempt++ {
		var throttled []int
		var wait time.Duration
		for start := 0; start < len(pending); start += MaxBatchRequests {
			chunk := pending[start:min(start+MaxBatchRequests, len(pending))]
			c.sendBatch(ctx, items, chunk, out)
			for _, i := range chunk {
				if IsThrottled(out[i].Err) && StatusCode(out[i].Err) == http.StatusTooManyRequests {
					throttled = append(throttled, i)
					wait = max(wait, RetryAfterOf(out[i].Err))
				}
			}
		}
		if len(throttled) == 0 || attempt >= c.maxRetries || ctx.Err() != nil {
			return out
		}
		if wait == 0 {
			wait = backoff(attempt)
		}
		tflog.Debug(ctx, "Graph batch items throttled; sending them again", map[string]any{
			"items": len(throttled), "wait_ms": wait.Milliseconds(), "attempt": attempt + 1})
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return out // the caller gave up: the items keep their 429
		}
		pending = throttled
	}
	return out
}

// sendBatch sends items[idx] as one $batch and stores each outcome in out.
func (c *Client) sendBatch(ctx context.Context, items []batchItem, idx []int, out []batchOutcome) {
	reqs := make([]batchRequestJSON, 0, len(idx))
	for _, i := range idx {
		r := batchRequestJSON{ID: strconv.Itoa(i + 1), Method: items[i].Method, URL: items[i].URL}
		if items[i].Body != nil {
			r.Body = items[i].Body
			r.Headers = map[string]string{"Content-Type": "application/json"}
		}
		reqs = append(reqs, r)
	}
	body, err := json.Marshal(map[string]any{"requests": reqs})
	if err != nil {
		for _, i := range idx {
			out[i] = batchOutcome{Err: fmt.Errorf("graph: encoding a batch: %w", err)}
		}
		return
	}
	ri := abs.NewRequestInformation()
	ri.Method = abs.POST
	ri.UrlTemplate = "{+baseurl}/$batch"
	ri.PathParameters = map[string]string{}
	ri.Headers.TryAdd("Accept", "application/json")
	ri.SetStreamContentAndContentType(body, "application/json")
	answer, err := call(ctx, http.MethodPost, "/$batch", func(ctx context.Context) ([]byte, error) {
		v, err := c.adapter.SendPrimitive(ctx, ri, "[]byte", nil)
		b, _ := v.([]byte)
		return b, err
	})
	if err == nil && len(answer) == 0 {
		err = errEmptyAnswer(http.MethodPost, "/$batch")
	}
	var parsed struct {
		Responses []batchResponseJSON `json:"responses"`
	}
	if err == nil {
		if jerr := json.Unmarshal(answer, &parsed); jerr != nil {
			// An answer came but cannot be read: what Graph did is unknown.
			err = &outcomeUnknownError{Method: http.MethodPost, Path: "/$batch", err: fmt.Errorf("unreadable batch answer: %w", jerr)}
		}
	}
	if err != nil {
		for _, i := range idx {
			out[i] = batchOutcome{Err: err}
		}
		return
	}
	byID := make(map[string]batchResponseJSON, len(parsed.Responses))
	for _, r := range parsed.Responses {
		byID[r.ID] = r
	}
	for _, i := range idx {
		r, ok := byID[strconv.Itoa(i+1)]
		if !ok {
			out[i] = batchOutcome{Err: &outcomeUnknownError{Method: items[i].Method, Path: items[i].URL,
				err: fmt.Errorf("the batch answer has no response for this request")}}
			continue
		}
		out[i] = batchOutcome{Status: r.Status, Body: r.Body}
		if r.Status >= 300 {
			out[i].Err = itemError(items[i], r, c.clock.Now())
		}
	}
}

// itemError is a failed batch item as *Error, with Graph's code and message and the item's retry-after.
func itemError(it batchItem, r batchResponseJSON, now time.Time) error {
	e := &Error{StatusCode: r.Status, Method: it.Method, Path: it.URL}
	var body struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	if len(r.Body) > 0 && !bytes.Equal(bytes.TrimSpace(r.Body), []byte("null")) && json.Unmarshal(r.Body, &body) == nil {
		e.Code, e.Message, e.RequestID = body.Error.Code, body.Error.Message, body.Error.InnerError.RequestID
	}
	h := http.Header{}
	for k, v := range r.Headers {
		h.Set(k, v)
		if strings.EqualFold(k, "request-id") && e.RequestID == "" {
			e.RequestID = v
		}
	}
	if d, ok := retryAfter(h, now); ok {
		e.RetryAfter = d
	}
	return e
}

package graph

import "strings"

// QueuedCAWrites is how many joined CA writes of the PKI wait for a batch (for tests that line writes up).
func (c *Client) QueuedCAWrites(pkiID string) int {
	c.caJoins.mu.Lock()
	defer c.caJoins.mu.Unlock()
	if q := c.caJoins.queues[strings.ToLower(pkiID)]; q != nil {
		return len(q.ops)
	}
	return 0
}

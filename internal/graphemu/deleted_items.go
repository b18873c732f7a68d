package graphemu

import (
	"net/http"
	"strings"
	"time"
)

// Deleted items (soft delete). PKIs and CAs are directory objects: Graph's resource pages for
// certificateBasedAuthPki and certificateAuthorityDetail both list "List deleted items", "Get deleted item",
// "Restore deleted item" and "Permanently delete item" (/directory/deletedItems), restorable for 30 days.
//
// Choices where the docs are silent (each repeated where it is implemented):
//   - A deleted PKI takes its CAs (and their settings) with it; they are not listed as deleted CAs of their own, and
//     come back with the PKI. A CA deleted on its own is a deleted item of its own and comes back into its PKI.
//   - Restoring a CA whose PKI is gone (deleted or purged) answers 400; restoring a CA whose thumbprint the PKI
//     holds again answers 400 "Duplicate Certificate exists".
//   - A deleted CA does not count as a duplicate for a new upload or create (graph-api.md §3a: not documented).
//   - Items older than DeletedItemRetention on the emulator's clock are gone (GET and restore answer 404).

// DeletedItemRetention is how long Graph keeps a deleted directory object restorable.
const DeletedItemRetention = 30 * 24 * time.Hour

const (
	castPKI = "microsoft.graph.certificatebasedauthpki"
	castCA  = "microsoft.graph.certificateauthoritydetail"
)

// deletedItem is a soft-deleted PKI (with its CAs) or a CA deleted on its own (pkiID names its PKI).
type deletedItem struct {
	pki       *pki
	ca        *ca
	pkiID     string
	deletedAt time.Time
}

func (d *deletedItem) id() string {
	if d.pki != nil {
		return d.pki.id
	}
	return d.ca.id
}

func (d *deletedItem) displayName() string {
	if d.pki != nil {
		return d.pki.displayName
	}
	return d.ca.displayName
}

// recycleBin holds the deleted items of one emulator. Callers hold e.mu.
type recycleBin struct {
	items map[string]*deletedItem
	order []string
	// hardDelete makes deletes permanent (SetSoftDelete(false)).
	hardDelete bool
}

func (e *Emulator) bin() *recycleBin {
	if e.deleted == nil {
		e.deleted = &recycleBin{items: map[string]*deletedItem{}}
	}
	return e.deleted
}

// expire drops the items past the retention. Callers hold e.mu.
func (b *recycleBin) expire(now time.Time) {
	kept := b.order[:0]
	for _, id := range b.order {
		if d := b.items[id]; d != nil && now.Before(d.deletedAt.Add(DeletedItemRetention)) {
			kept = append(kept, id)
			continue
		}
		delete(b.items, id)
	}
	b.order = kept
}

func (b *recycleBin) put(d *deletedItem) {
	if b.hardDelete {
		return
	}
	id := normID(d.id())
	if b.items[id] == nil {
		b.order = append(b.order, id)
	}
	b.items[id] = d
}

func (b *recycleBin) take(id string) {
	id = normID(id)
	delete(b.items, id)
	b.order = removeID(b.order, id)
}

// softDeletePKI moves the PKI, with its CAs, to the deleted items. Callers hold e.mu.
func (e *Emulator) softDeletePKI(p *pki, now time.Time) {
	e.bin().put(&deletedItem{pki: p, deletedAt: now})
}

// softDeleteCA moves a CA deleted on its own to the deleted items. Callers hold e.mu.
func (e *Emulator) softDeleteCA(pkiID string, a *ca, now time.Time) {
	e.bin().put(&deletedItem{ca: a, pkiID: normID(pkiID), deletedAt: now})
}

// SetSoftDelete turns soft delete off (false: deletes are permanent, nothing is restorable) or back on.
func (e *Emulator) SetSoftDelete(on bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.bin().hardDelete = !on
}

// PurgeDeletedItems permanently deletes every deleted item, as if 30 days had passed for all of them.
func (e *Emulator) PurgeDeletedItems() {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.bin()
	b.items, b.order = map[string]*deletedItem{}, nil
}

// DeletedItemCount is how many restorable items the emulator holds now.
func (e *Emulator) DeletedItemCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.bin()
	b.expire(e.clk.Now())
	return len(b.order)
}

// ---- JSON ----

func (d *deletedItem) view() any {
	at := graphTime(d.deletedAt)
	if d.pki != nil {
		v := d.pki.view()
		v.DeletedDateTime = &at
		return v
	}
	v := d.ca.view()
	v.DeletedDateTime = &at
	return v
}

// ---- routes: /directory/deletedItems ----

func (e *Emulator) routeDeletedItems(c *call, rest []string) {
	m := c.r.Method
	switch {
	case len(rest) == 0:
		// "calling GET /directory/deleteditems without a type is not supported" (directory-deleteditems-list).
		c.badRequest("The OData cast type is a required part of the URI for deleted items, e.g. /directory/deletedItems/microsoft.graph.certificateBasedAuthPki.")
	case len(rest) == 1 && (strings.EqualFold(rest[0], castPKI) || strings.EqualFold(rest[0], castCA)):
		if m != http.MethodGet {
			c.methodNotAllowed(http.MethodGet)
			return
		}
		e.listDeletedItems(c, strings.EqualFold(rest[0], castPKI))
	case len(rest) == 1:
		switch m {
		case http.MethodGet:
			e.getDeletedItem(c, rest[0])
		case http.MethodDelete:
			e.purgeDeletedItem(c, rest[0])
		default:
			c.methodNotAllowed(http.MethodGet, http.MethodDelete)
		}
	case len(rest) == 2 && isAction(rest[1], "restore"):
		if m != http.MethodPost {
			c.methodNotAllowed(http.MethodPost)
			return
		}
		e.restoreDeletedItem(c, rest[0])
	default:
		c.unknownSegment(rest[1])
	}
}

func (e *Emulator) listDeletedItems(c *call, pkis bool) {
	match, top, skip, ok := c.listQuery()
	if !ok {
		return
	}
	e.mu.Lock()
	b := e.bin()
	b.expire(e.clk.Now())
	var items []any
	for _, id := range b.order {
		d := b.items[id]
		if (d.pki != nil) == pkis && match(d.displayName()) {
			items = append(items, d.view())
		}
	}
	e.mu.Unlock()
	cast := "microsoft.graph.certificateAuthorityDetail"
	if pkis {
		cast = "microsoft.graph.certificateBasedAuthPki"
	}
	c.page("directory/deletedItems/"+cast, items, top, skip)
}

// deletedItemNotFound is Graph's answer for an id that is not (or no longer) in the deleted items.
func (c *call) deletedItemNotFound(id string) {
	c.errorf(http.StatusNotFound, "Request_ResourceNotFound", "Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)
}

func (e *Emulator) findDeleted(id string) *deletedItem {
	b := e.bin()
	b.expire(e.clk.Now())
	return b.items[normID(id)]
}

func (e *Emulator) getDeletedItem(c *call, id string) {
	e.mu.Lock()
	d := e.findDeleted(id)
	if d == nil {
		e.mu.Unlock()
		c.deletedItemNotFound(id)
		return
	}
	v := d.view()
	e.mu.Unlock()
	c.json(http.StatusOK, withContext(v, c.context("directoryObjects/$entity")))
}

func (e *Emulator) purgeDeletedItem(c *call, id string) {
	e.mu.Lock()
	if e.findDeleted(id) == nil {
		e.mu.Unlock()
		c.deletedItemNotFound(id)
		return
	}
	e.bin().take(id)
	e.mu.Unlock()
	c.noContent()
}

// restoreDeletedItem brings the object back with its id: a PKI with its CAs and their settings, a CA into its PKI.
// Graph answers 200 with the directoryObject.
func (e *Emulator) restoreDeletedItem(c *call, id string) {
	e.mu.Lock()
	now := e.clk.Now()
	d := e.findDeleted(id)
	if d == nil {
		e.mu.Unlock()
		c.deletedItemNotFound(id)
		return
	}
	var v any
	if d.pki != nil {
		p := d.pki
		p.visibleAt = now
		e.pkis[p.id] = p
		e.pkiOrder = append(e.pkiOrder, p.id)
		e.settle(p, now)
		v = p.view()
	} else {
		p := e.writablePKI(d.pkiID, now)
		switch {
		case p == nil:
			e.mu.Unlock()
			c.badRequest("The certificate authority '%s' cannot be restored: its PKI '%s' does not exist. Restore the PKI first.", d.ca.id, d.pkiID)
			return
		case p.caByThumbprint(d.ca.thumbprint) != nil:
			e.mu.Unlock()
			c.badRequest("Duplicate Certificate exists: PKI '%s' holds a certificate with thumbprint %s again.", p.id, d.ca.thumbprint)
			return
		}
		p.cas = append(p.cas, d.ca)
		p.lastModified = now
		v = d.ca.view()
	}
	e.bin().take(id)
	e.mu.Unlock()
	c.json(http.StatusOK, withContext(v, c.context("directoryObjects/$entity")))
}

// withContext sets @odata.context on a PKI or CA view.
func withContext(v any, ctx string) any {
	switch x := v.(type) {
	case pkiJSON:
		x.Context = ctx
		return x
	case caJSON:
		x.Context = ctx
		return x
	}
	return v
}

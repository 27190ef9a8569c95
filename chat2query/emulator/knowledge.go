package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/chat2query/emulator/answerbook"
)

// knowledgeBase is a knowledge base of one database (§9).
type knowledgeBase struct {
	id          int64
	database    string
	description string
	items       map[int64]*knowledgeItem
}

// knowledgeItem is one item of a knowledge base, with its raw data decoded.
type knowledgeItem struct {
	id       int64
	kbID     int64
	typ      chat2query.KnowledgeType
	meta     json.RawMessage
	raw      json.RawMessage
	fewShot  chat2query.FewShot
	termList chat2query.TermSheet
}

func (it *knowledgeItem) wire() chat2query.KnowledgeData {
	return chat2query.KnowledgeData{
		KnowledgeDataID: chat2query.String(strconv.FormatInt(it.id, 10)),
		KnowledgeBaseID: chat2query.Int64(it.kbID),
		Type:            it.typ,
		MetaData:        it.meta,
		RawData:         it.raw,
	}
}

// kbWire is a knowledge base as the create response shows it (§9), with its
// cluster and database added in list and get responses.
type kbWire struct {
	Default         bool   `json:"default"`
	Description     string `json:"description"`
	KnowledgeBaseID int64  `json:"knowledge_base_id"`
	ClusterID       string `json:"cluster_id,omitempty"`
	Database        string `json:"database,omitempty"`
}

// kbWire renders kb; full adds its cluster and database. Callers hold s.mu.
func (s *Server) kbWire(kb *knowledgeBase, full bool) kbWire {
	out := kbWire{Default: s.cat.defaultKB(kb.database) == kb, Description: kb.description, KnowledgeBaseID: kb.id}
	if full {
		out.ClusterID, out.Database = s.opts.ClusterID, kb.database
	}
	return out
}

// defaultKB is the database's first knowledge base.
func (c *catalog) defaultKB(database string) *knowledgeBase {
	for _, id := range slices.Sorted(maps.Keys(c.kbs)) {
		if c.kbs[id].database == database {
			return c.kbs[id]
		}
	}
	return nil
}

// kb finds the knowledge base of a {knowledge_base_id} parameter.
func (c *catalog) kb(param string) (*knowledgeBase, error) {
	id, err := strconv.ParseInt(param, 10, 64)
	if kb, ok := c.kbs[id]; err == nil && ok {
		return kb, nil
	}
	return nil, errKBNotFound
}

// item finds the item of {knowledge_base_id}/data/{knowledge_data_id}
// parameters.
func (c *catalog) item(kbParam, param string) (*knowledgeItem, error) {
	kb, err := c.kb(kbParam)
	if err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(param, 10, 64)
	if it, ok := kb.items[id]; err == nil && ok {
		return it, nil
	}
	return nil, errItemNotFound
}

// POST /v3/knowledgeBases (§9): the first knowledge base of a database is
// its default.
func (s *Server) createKnowledgeBase(r *http.Request) (any, error) {
	req, db, err := decodeFor[chat2query.CreateKnowledgeBaseRequest](s, r)
	if err != nil {
		return nil, err
	}
	return inCatalog(s, func(c *catalog) (any, error) {
		kb := &knowledgeBase{id: c.nextKB, database: db, description: req.Description, items: map[int64]*knowledgeItem{}}
		c.nextKB++
		c.kbs[kb.id] = kb
		return s.kbWire(kb, false), nil
	})
}

// GET /v3/knowledgeBases: under "knowledge_bases" (undocumented shape).
func (s *Server) listKnowledgeBases(*http.Request) (any, error) {
	return inCatalog(s, func(c *catalog) (any, error) {
		out := make([]kbWire, 0, len(c.kbs))
		for _, id := range slices.Sorted(maps.Keys(c.kbs)) {
			out = append(out, s.kbWire(c.kbs[id], true))
		}
		return map[string]any{"knowledge_bases": out}, nil
	})
}

// GET /v3/knowledgeBases/{id}.
func (s *Server) getKnowledgeBase(r *http.Request) (any, error) {
	return inCatalog(s, func(c *catalog) (any, error) {
		kb, err := c.kb(r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		return s.kbWire(kb, true), nil
	})
}

// PUT /v3/knowledgeBases/{id}: {"description": "..."}; answers the updated
// knowledge base.
func (s *Server) updateKnowledgeBase(r *http.Request) (any, error) {
	req, err := decode[chat2query.UpdateKnowledgeBaseRequest](r)
	if err != nil {
		return nil, err
	}
	return inCatalog(s, func(c *catalog) (any, error) {
		kb, err := c.kb(r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		kb.description = req.Description
		return s.kbWire(kb, true), nil
	})
}

// knowledgeRequest is the body of POST and PUT of an item (§9).
type knowledgeRequest struct {
	Type     chat2query.KnowledgeType `json:"type"`
	MetaData json.RawMessage          `json:"meta_data"`
	RawData  json.RawMessage          `json:"raw_data"`
}

// decodeItem reads and validates the body of a knowledge data POST or PUT.
func decodeItem(r *http.Request) (*knowledgeItem, error) {
	req, err := decode[knowledgeRequest](r)
	if err != nil {
		return nil, err
	}
	return parseItem(req)
}

// parseItem validates an item's body: a known type, meta_data an object
// (or absent: {}), and raw_data of the type's shape with its required
// fields, an instruction at most 512 characters long.
func parseItem(req knowledgeRequest) (*knowledgeItem, error) {
	it := &knowledgeItem{typ: req.Type, meta: trimJSON(req.MetaData)}
	if len(it.meta) == 0 || string(it.meta) == "null" {
		it.meta = json.RawMessage("{}")
	} else if it.meta[0] != '{' {
		return nil, paramError("meta_data must be an object")
	}
	raw := trimJSON(req.RawData)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, paramError("raw_data is required: an object")
	}
	strict := func(v any) error {
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return paramError(fmt.Sprintf("raw_data of a %s item: %v", req.Type, err))
		}
		return nil
	}
	switch req.Type {
	case chat2query.KnowledgeFewShot:
		if err := strict(&it.fewShot); err != nil {
			return nil, err
		}
		if strings.TrimSpace(it.fewShot.Question) == "" || strings.TrimSpace(it.fewShot.Answer) == "" {
			return nil, paramError("raw_data of a few-shot item needs a question and an answer (the SQL)")
		}
	case chat2query.KnowledgeTermSheet:
		if err := strict(&it.termList); err != nil {
			return nil, err
		}
		if len(it.termList.Term) == 0 || slices.ContainsFunc(it.termList.Term, func(t string) bool { return strings.TrimSpace(t) == "" }) ||
			strings.TrimSpace(it.termList.Description) == "" {
			return nil, paramError("raw_data of a term-sheet item needs term (a non-empty list of non-empty terms) and a description")
		}
	case chat2query.KnowledgeInstruction:
		var in chat2query.Instruction
		if err := strict(&in); err != nil {
			return nil, err
		}
		n := utf8.RuneCountInString(in.Instruction)
		if strings.TrimSpace(in.Instruction) == "" {
			return nil, paramError("raw_data of an instruction item needs an instruction")
		}
		if n > chat2query.MaxInstructionLength {
			return nil, paramError(fmt.Sprintf("the instruction is %d characters long; at most %d are allowed", n, chat2query.MaxInstructionLength))
		}
	default:
		return nil, paramError(fmt.Sprintf("type must be %q, %q or %q, got %q",
			chat2query.KnowledgeFewShot, chat2query.KnowledgeTermSheet, chat2query.KnowledgeInstruction, req.Type))
	}
	it.raw = raw
	return it, nil
}

func trimJSON(raw json.RawMessage) json.RawMessage {
	return json.RawMessage(strings.TrimSpace(string(raw)))
}

// POST /v3/knowledgeBases/{id}/data: answers the item with its
// knowledge_data_id (the response is undocumented). The knowledge base is
// resolved before the body, so an unknown id is a 404 whatever the body
// says; knowledge bases are never deleted.
func (s *Server) addKnowledgeData(r *http.Request) (any, error) {
	kb, err := inCatalog(s, func(c *catalog) (*knowledgeBase, error) { return c.kb(r.PathValue("id")) })
	if err != nil {
		return nil, err
	}
	it, err := decodeItem(r)
	if err != nil {
		return nil, err
	}
	return inCatalog(s, func(c *catalog) (any, error) {
		it.id, it.kbID = c.nextData, kb.id
		c.nextData++
		kb.items[it.id] = it
		return it.wire(), nil
	})
}

// GET /v3/knowledgeBases/{id}/data: under "knowledge_data".
func (s *Server) listKnowledgeData(r *http.Request) (any, error) {
	return inCatalog(s, func(c *catalog) (any, error) {
		kb, err := c.kb(r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		out := make([]chat2query.KnowledgeData, 0, len(kb.items))
		for _, id := range slices.Sorted(maps.Keys(kb.items)) {
			out = append(out, kb.items[id].wire())
		}
		return map[string]any{"knowledge_data": out}, nil
	})
}

// PUT /v3/knowledgeBases/{id}/data/{data_id}: replaces the item (same body
// as POST, validated the same way); answers the new item. The item is
// resolved before the body, and again after it: it may have been deleted
// meanwhile.
func (s *Server) updateKnowledgeData(r *http.Request) (any, error) {
	find := func(c *catalog) (*knowledgeItem, error) { return c.item(r.PathValue("id"), r.PathValue("data_id")) }
	if _, err := inCatalog(s, find); err != nil {
		return nil, err
	}
	it, err := decodeItem(r)
	if err != nil {
		return nil, err
	}
	return inCatalog(s, func(c *catalog) (any, error) {
		old, err := find(c)
		if err != nil {
			return nil, err
		}
		it.id, it.kbID = old.id, old.kbID
		c.kbs[it.kbID].items[it.id] = it
		return it.wire(), nil
	})
}

// DELETE /v3/knowledgeBases/{id}/data/{data_id}: answers {}.
func (s *Server) deleteKnowledgeData(r *http.Request) (any, error) {
	return inCatalog(s, func(c *catalog) (any, error) {
		it, err := c.item(r.PathValue("id"), r.PathValue("data_id"))
		if err != nil {
			return nil, err
		}
		delete(c.kbs[it.kbID].items, it.id)
		return struct{}{}, nil
	})
}

// items lists the knowledge of database, over all its knowledge bases, in
// creation order. Callers hold s.mu.
func (s *Server) items(database string) []*knowledgeItem {
	c := s.catalog()
	var out []*knowledgeItem
	for _, id := range slices.Sorted(maps.Keys(c.kbs)) {
		kb := c.kbs[id]
		if kb.database != database {
			continue
		}
		for _, iid := range slices.Sorted(maps.Keys(kb.items)) {
			out = append(out, kb.items[iid])
		}
	}
	return out
}

// match answers question in database given the session's previous answer
// label, using the database's knowledge first (see the package doc):
//
//  1. a few-shot example whose question is the same question (see
//     sameQuestion) answers with its SQL;
//  2. otherwise, when term-sheet terms occur in the question, the question
//     with each term replaced by its description is matched in the book,
//     then, if that fails, the question as asked.
//
// Instructions are kept but change nothing. Callers hold s.mu.
func (s *Server) match(database, question, previous string) *answerbook.Entry {
	items := s.items(database)
	rewritten := rewriteTerms(question, items)
	for _, it := range items {
		if it.typ != chat2query.KnowledgeFewShot {
			continue
		}
		if sameQuestion(it.fewShot.Question, question) || (rewritten != question && sameQuestion(it.fewShot.Question, rewritten)) {
			return &answerbook.Entry{
				Label:         fmt.Sprintf("knowledge-few-shot-%d", it.id),
				SQL:           it.fewShot.Answer,
				ClarifiedTask: it.fewShot.Question,
				Assumptions: []answerbook.Assumption{{
					Concept:     "few-shot example",
					Explanation: fmt.Sprintf("Answered with the SQL of the example %q of knowledge base %d.", it.fewShot.Question, it.kbID),
				}},
			}
		}
	}
	if rewritten != question {
		if e, ok := s.opts.Book.Match(rewritten, previous); ok && e != nil {
			return e
		}
	}
	if e, ok := s.opts.Book.Match(question, previous); ok && e != nil {
		return e
	}
	return nil
}

// rewriteTerms replaces every term of the term sheets found in question (as
// whole words, ignoring case) by its description.
func rewriteTerms(question string, items []*knowledgeItem) string {
	out := question
	for _, it := range items {
		if it.typ != chat2query.KnowledgeTermSheet {
			continue
		}
		for _, term := range it.termList.Term {
			re, err := regexp.Compile(`(?i)(^|\W)` + regexp.QuoteMeta(strings.TrimSpace(term)) + `($|\W)`)
			if err != nil {
				continue
			}
			desc := strings.ReplaceAll(strings.TrimSpace(it.termList.Description), "$", "$$")
			out = re.ReplaceAllString(out, "${1}"+desc+"${2}")
		}
	}
	return out
}

// sameQuestion reports whether two questions are the same for a few-shot
// example: equal once lower-cased with punctuation dropped and spaces
// collapsed, or sharing at least 80 % of their distinct words (Jaccard
// index), so "Top 5 companies by market cap?" matches "top 5 companies by
// market cap" and a reordered or one-word-different phrasing of a long
// question still matches.
func sameQuestion(a, b string) bool {
	wa, wb := words(a), words(b)
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	if slices.Equal(wa, wb) {
		return true
	}
	set := map[string]int{}
	for _, w := range wa {
		set[w] |= 1
	}
	for _, w := range wb {
		set[w] |= 2
	}
	both := 0
	for _, v := range set {
		if v == 3 {
			both++
		}
	}
	return float64(both) >= 0.8*float64(len(set))
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

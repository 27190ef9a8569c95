package chat2query

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"
)

// KnowledgeType is the type of a knowledge base item (§9).
type KnowledgeType string

const (
	KnowledgeFewShot     KnowledgeType = "few-shot"    // raw data: FewShot
	KnowledgeTermSheet   KnowledgeType = "term-sheet"  // raw data: TermSheet
	KnowledgeInstruction KnowledgeType = "instruction" // raw data: Instruction
)

// MaxInstructionLength is the documented limit of an instruction's text, in
// characters (§9).
const MaxInstructionLength = 512

// FewShot is the raw data of a few-shot item: a question and the SQL that
// answers it.
type FewShot struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// TermSheet is the raw data of a term-sheet item: synonymous terms and
// what they mean.
type TermSheet struct {
	Term        []string `json:"term"`
	Description string   `json:"description"`
}

// Instruction is the raw data of an instruction item: a rule on how to
// write SQL, at most MaxInstructionLength characters.
type Instruction struct {
	Instruction string `json:"instruction"`
}

// KnowledgeBase is a knowledge base of one database (§9). The documented
// create response holds KnowledgeBaseID, Default and Description; ClusterID
// and Database are read when list or get responses carry them (undocumented).
type KnowledgeBase struct {
	KnowledgeBaseID Int64  `json:"knowledge_base_id"`
	Default         Bool   `json:"default"`
	Description     string `json:"description"`
	ClusterID       String `json:"cluster_id,omitempty"`
	Database        string `json:"database,omitempty"`
}

// CreateKnowledgeBaseRequest is the body of POST /v3/knowledgeBases (§9).
type CreateKnowledgeBaseRequest struct {
	ClusterID   string `json:"cluster_id"`
	Database    string `json:"database"`
	Description string `json:"description"`
}

// UpdateKnowledgeBaseRequest is the body of PUT
// /v3/knowledgeBases/{knowledge_base_id}. The body is undocumented (§9):
// the description is the inferred editable field.
type UpdateKnowledgeBaseRequest struct {
	Description string `json:"description"`
}

// KnowledgeDataRequest is the body of POST and PUT of a knowledge item
// (§9): {"type", "meta_data", "raw_data"}. MetaData's schema is unknown; it
// is sent as {} when nil, as in every example. RawData is a FewShot,
// TermSheet or Instruction (or any value for a type this package does not
// know).
type KnowledgeDataRequest struct {
	Type     KnowledgeType
	MetaData map[string]any
	RawData  any
}

func (r KnowledgeDataRequest) MarshalJSON() ([]byte, error) {
	meta := r.MetaData
	if meta == nil {
		meta = map[string]any{}
	}
	return json.Marshal(struct {
		Type     KnowledgeType  `json:"type"`
		MetaData map[string]any `json:"meta_data"`
		RawData  any            `json:"raw_data"`
	}{r.Type, meta, r.RawData})
}

// check catches what the service would refuse, before a request is spent.
func (r KnowledgeDataRequest) check() error {
	if r.Type == "" {
		return errors.New("chat2query: knowledge data without a type: use few-shot, term-sheet or instruction")
	}
	if r.RawData == nil {
		return errors.New("chat2query: knowledge data without raw data")
	}
	var text string
	switch v := r.RawData.(type) {
	case Instruction:
		text = v.Instruction
	case *Instruction:
		text = v.Instruction
	}
	if n := utf8.RuneCountInString(text); n > MaxInstructionLength {
		return fmt.Errorf("chat2query: the instruction is %d characters long; the service accepts at most %d", n, MaxInstructionLength)
	}
	return nil
}

// KnowledgeData is a knowledge base item (§9). Its id's type is
// undocumented: a number or a string is kept as text. MetaData and RawData
// are kept verbatim; decode RawData with Decode.
type KnowledgeData struct {
	KnowledgeDataID String          `json:"knowledge_data_id"`
	KnowledgeBaseID Int64           `json:"knowledge_base_id,omitempty"`
	Type            KnowledgeType   `json:"type"`
	MetaData        json.RawMessage `json:"meta_data,omitempty"`
	RawData         json.RawMessage `json:"raw_data,omitempty"`
}

// Decode decodes the item's raw data into v, e.g. a *FewShot.
func (d *KnowledgeData) Decode(v any) error {
	if len(d.RawData) == 0 {
		return &DecodeError{What: "knowledge data " + string(d.KnowledgeDataID), Err: errors.New("no raw_data")}
	}
	if err := json.Unmarshal(d.RawData, v); err != nil {
		return &DecodeError{What: "knowledge data " + string(d.KnowledgeDataID), Err: err}
	}
	return nil
}

func knowledgeBasePath(id Int64) (string, error) {
	return idPath("/v3/knowledgeBases", id, "knowledge base")
}

func knowledgeDataPath(kb Int64, dataID string) (string, error) {
	path, err := knowledgeBasePath(kb)
	return childPath(path, err, "data", dataID, "knowledge data id")
}

// CreateKnowledgeBase creates a knowledge base for a database: POST
// /v3/knowledgeBases.
func (c *Client) CreateKnowledgeBase(ctx context.Context, req CreateKnowledgeBaseRequest) (*KnowledgeBase, error) {
	return call(ctx, c, http.MethodPost, "/v3/knowledgeBases", req, "knowledge_base_id",
		func(kb *KnowledgeBase) bool { return kb.KnowledgeBaseID != 0 })
}

// ListKnowledgeBases lists the knowledge bases: GET /v3/knowledgeBases. The
// response shape is undocumented; a bare array and an object holding the
// array are both read.
func (c *Client) ListKnowledgeBases(ctx context.Context) ([]KnowledgeBase, error) {
	return getList[KnowledgeBase](ctx, c, "/v3/knowledgeBases", "knowledge_bases", "knowledgeBases", "items", "list")
}

// GetKnowledgeBase fetches one knowledge base: GET
// /v3/knowledgeBases/{knowledge_base_id}.
func (c *Client) GetKnowledgeBase(ctx context.Context, id Int64) (*KnowledgeBase, error) {
	path, err := knowledgeBasePath(id)
	if err != nil {
		return nil, err
	}
	return get[KnowledgeBase](ctx, c, path)
}

// UpdateKnowledgeBase changes a knowledge base: PUT
// /v3/knowledgeBases/{knowledge_base_id}. The response is undocumented and
// returned verbatim in the Ack.
func (c *Client) UpdateKnowledgeBase(ctx context.Context, id Int64, req UpdateKnowledgeBaseRequest) (*Ack, error) {
	path, err := knowledgeBasePath(id)
	if err != nil {
		return nil, err
	}
	return c.ack(ctx, http.MethodPut, path, req)
}

// AddKnowledgeData adds an item to a knowledge base: POST
// /v3/knowledgeBases/{knowledge_base_id}/data. The response is undocumented
// (presumably the item with its knowledge_data_id); whatever of KnowledgeData
// it holds is returned, and an empty result gives an empty KnowledgeData.
// An instruction longer than MaxInstructionLength is refused without a
// request.
func (c *Client) AddKnowledgeData(ctx context.Context, kb Int64, req KnowledgeDataRequest) (*KnowledgeData, error) {
	path, err := knowledgeBasePath(kb)
	if err != nil {
		return nil, err
	}
	if err := req.check(); err != nil {
		return nil, err
	}
	path += "/data"
	var raw json.RawMessage
	if err := c.do(ctx, http.MethodPost, path, req, &raw); err != nil {
		return nil, err
	}
	var d KnowledgeData
	if r := trimNull(raw); len(r) > 0 && r[0] == '{' {
		if err := c.unmarshal("POST "+path+" response", r, &d); err != nil {
			return nil, err
		}
	}
	return &d, nil
}

// ListKnowledgeData lists the items of a knowledge base: GET
// /v3/knowledgeBases/{knowledge_base_id}/data. The response shape is
// undocumented; a bare array and an object holding the array are both read.
func (c *Client) ListKnowledgeData(ctx context.Context, kb Int64) ([]KnowledgeData, error) {
	path, err := knowledgeBasePath(kb)
	if err != nil {
		return nil, err
	}
	return getList[KnowledgeData](ctx, c, path+"/data", "knowledge_data", "knowledgeData", "data", "items", "list")
}

// UpdateKnowledgeData replaces an item of a knowledge base: PUT
// /v3/knowledgeBases/{knowledge_base_id}/data/{knowledge_data_id}, with the
// same body as AddKnowledgeData (inferred; §9 documents only the path).
func (c *Client) UpdateKnowledgeData(ctx context.Context, kb Int64, dataID string, req KnowledgeDataRequest) (*Ack, error) {
	path, err := knowledgeDataPath(kb, dataID)
	if err != nil {
		return nil, err
	}
	if err := req.check(); err != nil {
		return nil, err
	}
	return c.ack(ctx, http.MethodPut, path, req)
}

// DeleteKnowledgeData deletes an item of a knowledge base: DELETE
// /v3/knowledgeBases/{knowledge_base_id}/data/{knowledge_data_id}.
func (c *Client) DeleteKnowledgeData(ctx context.Context, kb Int64, dataID string) error {
	path, err := knowledgeDataPath(kb, dataID)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	return c.do(ctx, http.MethodDelete, path, nil, &raw)
}

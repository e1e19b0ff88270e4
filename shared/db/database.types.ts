export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

export type Database = {
  
  "public": {
          Tables: {
            "ai_alerts": {
                  Row: {
                    "created_at": string,"details": NonNullable<Json>,"id": string,"kind": string,"period_start": string,"subject": string,"threshold": number,"user_id": string | null,"value": number
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"details"?: NonNullable<Json>,"id"?: string,"kind": string,"period_start": string,"subject": string,"threshold": number,"user_id"?: string | null,"value": number
                  }
                  Update: {
                    "created_at"?: string,"details"?: NonNullable<Json>,"id"?: string,"kind"?: string,"period_start"?: string,"subject"?: string,"threshold"?: number,"user_id"?: string | null,"value"?: number
                  }
                  Relationships: [
                    
                  ]
                },"ai_metrics_rollup": {
                  Row: {
                    "bucket_start": string,"cached": number,"calls": number,"cost_usd": number,"created_at": string,"errors": number,"id": number,"latency_count": number,"latency_histogram": NonNullable<Json>,"latency_sum_ms": number,"operation": string,"provider": string,"tokens_in": number,"tokens_out": number,"user_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "bucket_start": string,"cached": number,"calls": number,"cost_usd": number,"created_at"?: string,"errors": number,"id"?: never,"latency_count": number,"latency_histogram"?: NonNullable<Json>,"latency_sum_ms": number,"operation": string,"provider": string,"tokens_in": number,"tokens_out": number,"user_id"?: string | null
                  }
                  Update: {
                    "bucket_start"?: string,"cached"?: number,"calls"?: number,"cost_usd"?: number,"created_at"?: string,"errors"?: number,"id"?: never,"latency_count"?: number,"latency_histogram"?: NonNullable<Json>,"latency_sum_ms"?: number,"operation"?: string,"provider"?: string,"tokens_in"?: number,"tokens_out"?: number,"user_id"?: string | null
                  }
                  Relationships: [
                    
                  ]
                },"ai_processing_logs": {
                  Row: {
                    "cost_usd": number,"created_at": string,"error_code": string | null,"error_message": string | null,"id": number,"latency_ms": number | null,"model": string | null,"operation": string,"provider": string,"request_id": string | null,"retries": number,"retry_wait_ms": number,"status": string,"tokens_in": number,"tokens_out": number,"user_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "cost_usd"?: number,"created_at"?: string,"error_code"?: string | null,"error_message"?: string | null,"id"?: never,"latency_ms"?: number | null,"model"?: string | null,"operation": string,"provider": string,"request_id"?: string | null,"retries"?: number,"retry_wait_ms"?: number,"status": string,"tokens_in"?: number,"tokens_out"?: number,"user_id"?: string | null
                  }
                  Update: {
                    "cost_usd"?: number,"created_at"?: string,"error_code"?: string | null,"error_message"?: string | null,"id"?: never,"latency_ms"?: number | null,"model"?: string | null,"operation"?: string,"provider"?: string,"request_id"?: string | null,"retries"?: number,"retry_wait_ms"?: number,"status"?: string,"tokens_in"?: number,"tokens_out"?: number,"user_id"?: string | null
                  }
                  Relationships: [
                    
                  ]
                },"attendee_webhook_events": {
                  Row: {
                    "attendee_bot_id": string,"created_at": string,"id": number,"idempotency_key": string,"meeting_bot_id": string | null,"payload": NonNullable<Json>,"trigger": string,"user_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attendee_bot_id": string,"created_at"?: string,"id"?: never,"idempotency_key": string,"meeting_bot_id"?: string | null,"payload": NonNullable<Json>,"trigger": string,"user_id"?: string | null
                  }
                  Update: {
                    "attendee_bot_id"?: string,"created_at"?: string,"id"?: never,"idempotency_key"?: string,"meeting_bot_id"?: string | null,"payload"?: NonNullable<Json>,"trigger"?: string,"user_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "attendee_webhook_events_meeting_bot_fkey"
      columns: ["user_id","meeting_bot_id"]
isOneToOne: false
      referencedRelation: "meeting_bots"
      referencedColumns: ["user_id","id"]
    }
                  ]
                },"bot_scheduling_logs": {
                  Row: {
                    "created_at": string,"decision": string,"details": NonNullable<Json>,"id": string,"meeting_bot_id": string | null,"meeting_id": string | null,"reason": string | null,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"decision": string,"details"?: NonNullable<Json>,"id"?: string,"meeting_bot_id"?: string | null,"meeting_id"?: string | null,"reason"?: string | null,"user_id": string
                  }
                  Update: {
                    "created_at"?: string,"decision"?: string,"details"?: NonNullable<Json>,"id"?: string,"meeting_bot_id"?: string | null,"meeting_id"?: string | null,"reason"?: string | null,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "bot_scheduling_logs_meeting_bot_fkey"
      columns: ["user_id","meeting_bot_id"]
isOneToOne: false
      referencedRelation: "meeting_bots"
      referencedColumns: ["user_id","id"]
    },{
      foreignKeyName: "bot_scheduling_logs_meeting_fkey"
      columns: ["user_id","meeting_id"]
isOneToOne: false
      referencedRelation: "meetings"
      referencedColumns: ["user_id","id"]
    }
                  ]
                },"classification_batches": {
                  Row: {
                    "completed_at": string | null,"created_at": string,"done_items": number,"failed_items": number,"id": string,"request": NonNullable<Json>,"status": string,"summary": Json | null,"total_items": number,"updated_at": string,"user_id": string,"workflow_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "completed_at"?: string | null,"created_at"?: string,"done_items"?: number,"failed_items"?: number,"id"?: string,"request"?: NonNullable<Json>,"status"?: string,"summary"?: Json | null,"total_items"?: number,"updated_at"?: string,"user_id": string,"workflow_id"?: string | null
                  }
                  Update: {
                    "completed_at"?: string | null,"created_at"?: string,"done_items"?: number,"failed_items"?: number,"id"?: string,"request"?: NonNullable<Json>,"status"?: string,"summary"?: Json | null,"total_items"?: number,"updated_at"?: string,"user_id"?: string,"workflow_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "classification_batches_workflow_fkey"
      columns: ["user_id","workflow_id"]
isOneToOne: false
      referencedRelation: "classification_workflows"
      referencedColumns: ["user_id","id"]
    }
                  ]
                },"classification_results": {
                  Row: {
                    "alternatives": NonNullable<Json>,"attempts": number,"batch_id": string | null,"category": string | null,"confidence": number | null,"cost_usd": number,"created_at": string,"document_id": string | null,"entities": NonNullable<Json>,"error": string | null,"id": string,"input_text": string | null,"item_index": number | null,"item_key": string | null,"sentiment": Json | null,"status": string,"trace": NonNullable<Json>,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "alternatives"?: NonNullable<Json>,"attempts"?: number,"batch_id"?: string | null,"category"?: string | null,"confidence"?: number | null,"cost_usd"?: number,"created_at"?: string,"document_id"?: string | null,"entities"?: NonNullable<Json>,"error"?: string | null,"id"?: string,"input_text"?: string | null,"item_index"?: number | null,"item_key"?: string | null,"sentiment"?: Json | null,"status"?: string,"trace"?: NonNullable<Json>,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "alternatives"?: NonNullable<Json>,"attempts"?: number,"batch_id"?: string | null,"category"?: string | null,"confidence"?: number | null,"cost_usd"?: number,"created_at"?: string,"document_id"?: string | null,"entities"?: NonNullable<Json>,"error"?: string | null,"id"?: string,"input_text"?: string | null,"item_index"?: number | null,"item_key"?: string | null,"sentiment"?: Json | null,"status"?: string,"trace"?: NonNullable<Json>,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "classification_results_batch_fkey"
      columns: ["user_id","batch_id"]
isOneToOne: false
      referencedRelation: "classification_batches"
      referencedColumns: ["user_id","id"]
    },{
      foreignKeyName: "classification_results_document_fkey"
      columns: ["user_id","document_id"]
isOneToOne: false
      referencedRelation: "documents"
      referencedColumns: ["user_id","id"]
    }
                  ]
                },"classification_workflows": {
                  Row: {
                    "categories": NonNullable<Json>,"created_at": string,"description": string | null,"id": string,"is_active": boolean,"name": string,"stages": NonNullable<Json>,"updated_at": string,"user_id": string,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "categories": NonNullable<Json>,"created_at"?: string,"description"?: string | null,"id"?: string,"is_active"?: boolean,"name": string,"stages"?: NonNullable<Json>,"updated_at"?: string,"user_id": string,"version"?: number
                  }
                  Update: {
                    "categories"?: NonNullable<Json>,"created_at"?: string,"description"?: string | null,"id"?: string,"is_active"?: boolean,"name"?: string,"stages"?: NonNullable<Json>,"updated_at"?: string,"user_id"?: string,"version"?: number
                  }
                  Relationships: [
                    
                  ]
                },"document_workflows": {
                  Row: {
                    "created_at": string,"description": string | null,"id": string,"is_active": boolean,"name": string,"steps": NonNullable<Json>,"updated_at": string,"user_id": string,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"is_active"?: boolean,"name": string,"steps": NonNullable<Json>,"updated_at"?: string,"user_id": string,"version"?: number
                  }
                  Update: {
                    "created_at"?: string,"description"?: string | null,"id"?: string,"is_active"?: boolean,"name"?: string,"steps"?: NonNullable<Json>,"updated_at"?: string,"user_id"?: string,"version"?: number
                  }
                  Relationships: [
                    
                  ]
                },"documents": {
                  Row: {
                    "content": string,"created_at": string,"id": string,"metadata": NonNullable<Json>,"routed_to": string | null,"routing": Json | null,"title": string | null,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "content": string,"created_at"?: string,"id"?: string,"metadata"?: NonNullable<Json>,"routed_to"?: string | null,"routing"?: Json | null,"title"?: string | null,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "content"?: string,"created_at"?: string,"id"?: string,"metadata"?: NonNullable<Json>,"routed_to"?: string | null,"routing"?: Json | null,"title"?: string | null,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"meeting_bots": {
                  Row: {
                    "attendee_bot_id": string | null,"bot_config": NonNullable<Json>,"created_at": string,"deduplication_key": string | null,"id": string,"join_at": string | null,"last_error": string | null,"meeting_id": string,"meeting_url": string | null,"not_sent_reason": string | null,"sent": boolean,"state": string,"state_changed_at": string | null,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attendee_bot_id"?: string | null,"bot_config"?: NonNullable<Json>,"created_at"?: string,"deduplication_key"?: string | null,"id"?: string,"join_at"?: string | null,"last_error"?: string | null,"meeting_id": string,"meeting_url"?: string | null,"not_sent_reason"?: string | null,"sent"?: boolean,"state"?: string,"state_changed_at"?: string | null,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "attendee_bot_id"?: string | null,"bot_config"?: NonNullable<Json>,"created_at"?: string,"deduplication_key"?: string | null,"id"?: string,"join_at"?: string | null,"last_error"?: string | null,"meeting_id"?: string,"meeting_url"?: string | null,"not_sent_reason"?: string | null,"sent"?: boolean,"state"?: string,"state_changed_at"?: string | null,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "meeting_bots_meeting_fkey"
      columns: ["user_id","meeting_id"]
isOneToOne: false
      referencedRelation: "meetings"
      referencedColumns: ["user_id","id"]
    }
                  ]
                },"meetings": {
                  Row: {
                    "attendees": NonNullable<Json>,"bot_override": string,"created_at": string,"description": string | null,"end_time": string,"external_id": string | null,"id": string,"meeting_url": string | null,"organizer_email": string | null,"start_time": string,"status": string,"title": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attendees"?: NonNullable<Json>,"bot_override"?: string,"created_at"?: string,"description"?: string | null,"end_time": string,"external_id"?: string | null,"id"?: string,"meeting_url"?: string | null,"organizer_email"?: string | null,"start_time": string,"status"?: string,"title": string,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "attendees"?: NonNullable<Json>,"bot_override"?: string,"created_at"?: string,"description"?: string | null,"end_time"?: string,"external_id"?: string | null,"id"?: string,"meeting_url"?: string | null,"organizer_email"?: string | null,"start_time"?: string,"status"?: string,"title"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"notifications": {
                  Row: {
                    "body": string | null,"created_at": string,"id": string,"kind": string,"payload": NonNullable<Json>,"read_at": string | null,"title": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "body"?: string | null,"created_at"?: string,"id"?: string,"kind": string,"payload"?: NonNullable<Json>,"read_at"?: string | null,"title": string,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "body"?: string | null,"created_at"?: string,"id"?: string,"kind"?: string,"payload"?: NonNullable<Json>,"read_at"?: string | null,"title"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"user_ai_settings": {
                  Row: {
                    "alert_thresholds": NonNullable<Json>,"created_at": string,"daily_cost_budget_usd": number | null,"preferred_provider": string | null,"redact_pii_before_provider": boolean,"requests_per_minute": number | null,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "alert_thresholds"?: NonNullable<Json>,"created_at"?: string,"daily_cost_budget_usd"?: number | null,"preferred_provider"?: string | null,"redact_pii_before_provider"?: boolean,"requests_per_minute"?: number | null,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "alert_thresholds"?: NonNullable<Json>,"created_at"?: string,"daily_cost_budget_usd"?: number | null,"preferred_provider"?: string | null,"redact_pii_before_provider"?: boolean,"requests_per_minute"?: number | null,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"user_bot_settings": {
                  Row: {
                    "auto_schedule": boolean,"bot_name": string,"created_at": string,"exclusion_keywords": (string)[],"join_offset_minutes": number,"lookahead_hours": number,"min_attendees": number,"record_mode": string,"transcription_language": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "auto_schedule"?: boolean,"bot_name"?: string,"created_at"?: string,"exclusion_keywords"?: (string)[],"join_offset_minutes"?: number,"lookahead_hours"?: number,"min_attendees"?: number,"record_mode"?: string,"transcription_language"?: string,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "auto_schedule"?: boolean,"bot_name"?: string,"created_at"?: string,"exclusion_keywords"?: (string)[],"join_offset_minutes"?: number,"lookahead_hours"?: number,"min_attendees"?: number,"record_mode"?: string,"transcription_language"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"workflow_approvals": {
                  Row: {
                    "approver_id": string | null,"comment": string | null,"created_at": string,"decided_at": string | null,"decided_by": string | null,"execution_id": string,"expires_at": string | null,"id": string,"instructions": string | null,"status": string,"step_id": string,"updated_at": string,"user_id": string,"workflow_name": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "approver_id"?: string | null,"comment"?: string | null,"created_at"?: string,"decided_at"?: string | null,"decided_by"?: string | null,"execution_id": string,"expires_at"?: string | null,"id"?: string,"instructions"?: string | null,"status"?: string,"step_id": string,"updated_at"?: string,"user_id": string,"workflow_name"?: string | null
                  }
                  Update: {
                    "approver_id"?: string | null,"comment"?: string | null,"created_at"?: string,"decided_at"?: string | null,"decided_by"?: string | null,"execution_id"?: string,"expires_at"?: string | null,"id"?: string,"instructions"?: string | null,"status"?: string,"step_id"?: string,"updated_at"?: string,"user_id"?: string,"workflow_name"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "workflow_approvals_execution_fkey"
      columns: ["user_id","execution_id"]
isOneToOne: false
      referencedRelation: "workflow_executions"
      referencedColumns: ["user_id","id"]
    }
                  ]
                },"workflow_executions": {
                  Row: {
                    "context": NonNullable<Json>,"created_at": string,"current_step_id": string | null,"definition": NonNullable<Json>,"document_id": string,"error": string | null,"expires_at": string | null,"finished_at": string | null,"id": string,"pause_requested": boolean,"started_at": string | null,"status": string,"updated_at": string,"user_id": string,"workflow_id": string,"workflow_version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "context"?: NonNullable<Json>,"created_at"?: string,"current_step_id"?: string | null,"definition": NonNullable<Json>,"document_id": string,"error"?: string | null,"expires_at"?: string | null,"finished_at"?: string | null,"id"?: string,"pause_requested"?: boolean,"started_at"?: string | null,"status"?: string,"updated_at"?: string,"user_id": string,"workflow_id": string,"workflow_version": number
                  }
                  Update: {
                    "context"?: NonNullable<Json>,"created_at"?: string,"current_step_id"?: string | null,"definition"?: NonNullable<Json>,"document_id"?: string,"error"?: string | null,"expires_at"?: string | null,"finished_at"?: string | null,"id"?: string,"pause_requested"?: boolean,"started_at"?: string | null,"status"?: string,"updated_at"?: string,"user_id"?: string,"workflow_id"?: string,"workflow_version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "workflow_executions_document_fkey"
      columns: ["user_id","document_id"]
isOneToOne: false
      referencedRelation: "documents"
      referencedColumns: ["user_id","id"]
    },{
      foreignKeyName: "workflow_executions_workflow_fkey"
      columns: ["user_id","workflow_id"]
isOneToOne: false
      referencedRelation: "document_workflows"
      referencedColumns: ["user_id","id"]
    }
                  ]
                },"workflow_step_runs": {
                  Row: {
                    "attempts": number,"claim_token": string | null,"created_at": string,"error": string | null,"execution_id": string,"finished_at": string | null,"id": string,"lease_until": string | null,"next_attempt_at": string | null,"output": Json | null,"started_at": string | null,"status": string,"step_id": string,"step_type": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attempts"?: number,"claim_token"?: string | null,"created_at"?: string,"error"?: string | null,"execution_id": string,"finished_at"?: string | null,"id"?: string,"lease_until"?: string | null,"next_attempt_at"?: string | null,"output"?: Json | null,"started_at"?: string | null,"status"?: string,"step_id": string,"step_type": string,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "attempts"?: number,"claim_token"?: string | null,"created_at"?: string,"error"?: string | null,"execution_id"?: string,"finished_at"?: string | null,"id"?: string,"lease_until"?: string | null,"next_attempt_at"?: string | null,"output"?: Json | null,"started_at"?: string | null,"status"?: string,"step_id"?: string,"step_type"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "workflow_step_runs_execution_fkey"
      columns: ["user_id","execution_id"]
isOneToOne: false
      referencedRelation: "workflow_executions"
      referencedColumns: ["user_id","id"]
    }
                  ]
                }
          }
          Views: {
            [_ in never]: never
          }
          Functions: {
            "ai_latency_bucket":
{ Args: { "latency_ms": number }; Returns: number
                           }
          }
          Enums: {
            [_ in never]: never
          }
          CompositeTypes: {
            [_ in never]: never
          }
        }
}

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
  ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R
    }
    ? R
    : never
  : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I
    }
    ? I
    : never
  : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U
    }
    ? U
    : never
  : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
  ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
  ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never

export const Constants = {
  "public": {
          Enums: {
            
          }
        }
} as const

import type { FakeReply, RecordedOpenAiRequest } from './fake-openai.ts';

/** Plausible valid answers for each structured-output schema the OpenAI provider asks for. */
export function validAnswer(request: RecordedOpenAiRequest): FakeReply {
  const format = request.body?.response_format as {
    json_schema: { schema: { properties: { category: { enum: string[] } } } };
  };
  const messages = request.body?.messages as { content: string }[];
  switch (request.schemaName) {
    case 'classification': {
      const names = format.json_schema.schema.properties.category.enum;
      return {
        content: {
          category: names[0],
          confidence: 0.9,
          alternatives: names.slice(1).map((category) => ({ category, confidence: 0.1 })),
          reasoning: 'It mentions the first category.',
        },
      };
    }
    case 'sentiment': {
      const count = (messages[1]!.content.match(/^\[\d+\]/gm) ?? []).length;
      return {
        content: {
          label: 'positive',
          score: 0.6,
          scores: { positive: 0.7, negative: 0.1, neutral: 0.1, mixed: 0.1 },
          sentences: Array.from({ length: count }, (_, index) => ({ index, label: 'positive', score: 0.6 })),
        },
      };
    }
    case 'targeted_sentiment': {
      const speakers = (
        format.json_schema.schema.properties as unknown as {
          speakers: { items: { properties: { speaker: { enum?: string[] } } } };
        }
      ).speakers.items.properties.speaker.enum;
      const scores = { positive: 0.1, negative: 0.1, neutral: 0.7, mixed: 0.1 };
      return {
        content: {
          speakers: (speakers ?? []).map((speaker) => ({ speaker, label: 'neutral', score: 0, scores })),
          mentions: [],
        },
      };
    }
    case 'entities':
      return {
        content: {
          entities: [
            { text: 'Dana', type: 'person' },
            { text: 'Nobody', type: 'person' },
          ],
        },
      };
    case 'analysis':
      return {
        content: {
          summary: 'A renewal call.',
          keyPoints: ['Renewal'],
          actionItems: ['Send quote'],
          risks: ['Price'],
        },
      };
    case 'bot_configuration':
      return { content: { botName: 'Acme Notes 🤖', language: 'en', format: 'mp4', view: 'speaker_view' } };
    default:
      return { status: 400, body: { error: { message: `unexpected schema ${request.schemaName}` } } };
  }
}

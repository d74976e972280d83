/**
 * The page's operations, against the gateway (CRM `contacts` + our `recording`). Every Recording,
 * Segment and Statement selection includes its key fields, which the cache's keyFields need.
 */
import { gql, type TypedDocumentNode } from '@apollo/client';

export interface MediaLink {
  readonly url: string;
  readonly expiresAt: string;
  readonly fileName: string | null;
  readonly mediaType: string | null;
}

export interface ContactRow {
  readonly acdContactId: string;
  readonly customerName: string;
  readonly subject: string;
  readonly recording: {
    readonly acdContactId: string;
    readonly startTime: string | null;
    readonly durationSeconds: number | null;
    readonly agents: ReadonlyArray<{ readonly name: string | null }>;
    readonly transcript: { readonly kind: 'CHAT' | 'EMAIL' } | null;
  } | null;
}

export const CONTACT_LIST: TypedDocumentNode<{ contacts: ContactRow[] }, { first: number }> = gql`
  query ContactList($first: Int!) {
    contacts(first: $first) {
      acdContactId
      customerName
      subject
      recording {
        acdContactId
        startTime
        durationSeconds
        agents { name }
        transcript { kind }
      }
    }
  }
`;

export interface SegmentData {
  readonly segmentId: string;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly openReason: string | null;
  readonly closeReason: string | null;
  readonly direction: string | null;
  readonly channelType: string | null;
  readonly firstSegment: boolean | null;
}

export interface RecordingData {
  readonly acdContactId: string;
  readonly contactId: string | null;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly durationSeconds: number | null;
  readonly playerUrl: string;
  readonly mediaUrl: MediaLink | null;
  readonly screenUrl: MediaLink | null;
  readonly agents: ReadonlyArray<{ readonly name: string | null; readonly participantType: string }>;
  readonly tags: readonly string[];
  readonly sentiments: ReadonlyArray<{ readonly overallSentiment: string }> | null;
  readonly categories: ReadonlyArray<{ readonly categoryHierarchy: readonly string[] }> | null;
  readonly transcript: {
    readonly kind: 'CHAT' | 'EMAIL';
    readonly text: string;
    readonly messages: ReadonlyArray<{
      readonly participantType: string;
      readonly participantName: string | null;
      readonly text: string;
      readonly timestamp: string | null;
    }>;
    readonly email: {
      readonly from: string | null;
      readonly to: readonly string[];
      readonly cc: readonly string[];
      readonly subject: string | null;
      readonly body: string | null;
      readonly sentTime: string | null;
    } | null;
  } | null;
  readonly segments: readonly SegmentData[];
}

const MEDIA_LINK = gql`
  fragment MediaLink on CxoneMediaUrl {
    url
    expiresAt
    fileName
    mediaType
  }
`;

export const RECORDING_DETAIL: TypedDocumentNode<{ recording: RecordingData | null }, { acdContactId: string }> = gql`
  query RecordingDetail($acdContactId: ID!) {
    recording(acdContactId: $acdContactId) {
      acdContactId
      contactId
      startTime
      endTime
      durationSeconds
      playerUrl
      mediaUrl { ...MediaLink }
      screenUrl { ...MediaLink }
      agents { name participantType }
      tags
      sentiments { overallSentiment }
      categories { categoryHierarchy }
      transcript {
        kind
        text
        messages { participantType participantName text timestamp }
        email { from to cc subject body sentTime }
      }
      segments { segmentId startTime endTime openReason closeReason direction channelType firstSegment }
    }
  }
  ${MEDIA_LINK}
`;

export interface StatementData {
  readonly acdContactId: string;
  readonly statementId: string;
  readonly playerUrl: string;
  readonly downloadUrl: string;
  readonly mediaUrl: MediaLink | null;
}

export const RECORDING_STATEMENTS: TypedDocumentNode<
  { recording: { acdContactId: string; statements: Array<StatementData | null> } | null },
  { acdContactId: string; statementIds: string[] }
> = gql`
  query RecordingStatements($acdContactId: ID!, $statementIds: [ID!]!) {
    recording(acdContactId: $acdContactId) {
      acdContactId
      statements(statementIds: $statementIds) {
        acdContactId
        statementId
        playerUrl
        downloadUrl
        mediaUrl { ...MediaLink }
      }
    }
  }
  ${MEDIA_LINK}
`;

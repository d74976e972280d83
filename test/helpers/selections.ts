/** GraphQL selections the suites share: what a contact page or a report selects. */

const MEDIA_FIELDS = 'url expiresAt fileName mediaType';

/** Every field of a Recording that costs no extra upstream call beyond its contact. */
export const RECORDING_FIELDS = `acdContactId contactId startTime endTime durationSeconds
  mediaUrl { ${MEDIA_FIELDS} } screenUrl { ${MEDIA_FIELDS} }
  playerUrl downloadUrl voiceOnly: downloadUrl(voiceOnly: true)
  transcript { kind text messages { participantType participantName text timestamp }
    email { from to cc bcc subject body sentTime } }
  segments { segmentId startTime endTime openReason closeReason direction channelType firstSegment }
  interactions { kind mediaType channelType businessData { key value } participants { participantType name } }
  agents { participantType name userId }
  sentiments { overallSentiment channel }
  categories { categoryHierarchy confidence }
  tags`;

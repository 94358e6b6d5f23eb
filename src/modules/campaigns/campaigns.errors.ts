export enum CampaignsErrorCode {
  CampaignNotFound = 'CAMPAIGN_NOT_FOUND',
  CampaignNotEditable = 'CAMPAIGN_NOT_EDITABLE',
  CampaignStateConflict = 'CAMPAIGN_STATE_CONFLICT',
  AudienceEmpty = 'CAMPAIGN_AUDIENCE_EMPTY',
  AudienceTooLarge = 'CAMPAIGN_AUDIENCE_TOO_LARGE',
  CsvInvalid = 'CAMPAIGN_CSV_INVALID',
  AbTestInvalid = 'CAMPAIGN_AB_TEST_INVALID',
}

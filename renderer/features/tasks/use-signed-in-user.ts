import { useConnectionsStore } from '../connections';

/** Who the app is signed in as on a profile's cluster (`alice@pve`; for a token, its user), if it is. */
export function useSignedInUser(): (profileId: string | undefined) => string | undefined {
  const connections = useConnectionsStore();
  // The list loads once for the whole app, whichever pane asks first.
  void connections.start();
  return (profileId) => {
    const userid = connections.profiles.find((profile) => profile.id === profileId)?.state.userid;
    return userid?.split('!')[0];
  };
}
